import type { DomainErrorCode } from './errors.js';

/** HTTP status for each domain error code: the only place this mapping lives. */
export const httpStatusOf: Readonly<Record<DomainErrorCode, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  budget_exhausted: 422,
  // well-formed but impossible here (e.g. more GPUs per node than any node has)
  unprocessable: 422,
  // too many requests (details.retryAfterSeconds becomes Retry-After)
  rate_limited: 429,
  unavailable: 503,
};

/** gRPC status code (numeric, as in @grpc/grpc-js `status`) for each domain error code. */
export const grpcStatusOf: Readonly<Record<DomainErrorCode, number>> = {
  invalid: 3, // INVALID_ARGUMENT
  unauthenticated: 16, // UNAUTHENTICATED
  forbidden: 7, // PERMISSION_DENIED
  not_found: 5, // NOT_FOUND
  conflict: 6, // ALREADY_EXISTS
  budget_exhausted: 9, // FAILED_PRECONDITION
  unprocessable: 9, // FAILED_PRECONDITION: the grid as it is cannot run it
  rate_limited: 8, // RESOURCE_EXHAUSTED
  unavailable: 14, // UNAVAILABLE
};
