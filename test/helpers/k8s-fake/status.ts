/**
 * `Status` objects, the API server's error (and delete) answers, and the error type the fake's handlers
 * throw to send one. Reasons and codes are the real ones, because the client and the adapter key off them.
 */

/** A `metav1.Status` as JSON. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; group?: string };
  code: number;
}

/** Reasons the fake uses, with their HTTP codes. */
const CODES = {
  BadRequest: 400,
  Unauthorized: 401,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  Expired: 410,
  Invalid: 422,
  InternalError: 500,
} as const;

/** A reason the fake can answer with. */
export type StatusReason = keyof typeof CODES;

/** A failure `Status`. */
export function failure(reason: StatusReason, message: string, details?: StatusObject['details']): StatusObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code: CODES[reason] };
}

/** A success `Status` (what a delete answers). */
export function success(details?: StatusObject['details']): StatusObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}), code: 200 };
}

/** Thrown inside the fake to answer with a failure `Status`. */
export class HttpStatusError extends Error {
  readonly status: StatusObject;

  constructor(reason: StatusReason, message: string, details?: StatusObject['details']) {
    super(message);
    this.status = failure(reason, message, details);
  }
}

/** The lower-case plural the real server uses in messages (`jobs.batch "x" not found`). */
export function resourceLabel(kind: string): string {
  return kind === 'Job' ? 'jobs.batch' : `${kind.toLowerCase()}s`;
}
