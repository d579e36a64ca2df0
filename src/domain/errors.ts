/** The closed set of error codes every layer speaks; transports map them to status codes in error-status.ts. */
export type DomainErrorCode =
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'budget_exhausted'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

/** A field-level problem inside an `invalid` error, so clients can show every bad field at once. */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `resources.gpusPerNode`. */
  path: string;
  /** What is wrong and what is expected. */
  message: string;
}

/** An expected failure with a code, a human message that says what to fix, and optional structured details. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** An `invalid` error listing each bad field. */
  static invalid(message: string, issues: FieldIssue[] = [], extra: Record<string, unknown> = {}): DomainError {
    return new DomainError('invalid', message, { ...extra, issues });
  }

  /** A `not_found` error for a kind of thing and its id. */
  static notFound(kind: string, id: string | number): DomainError {
    return new DomainError('not_found', `${kind} ${JSON.stringify(String(id))} does not exist`, { kind, id: String(id) });
  }
}

/** True when `e` is a DomainError (also across module copies, by name and code). */
export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'DomainError' && typeof (e as { code?: unknown }).code === 'string');
}
