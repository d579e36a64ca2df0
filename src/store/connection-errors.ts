/**
 * Errors that mean "the database cannot be reached right now" — refused or reset connections, a session
 * ended by a server shutdown or restart, a server still starting — as opposed to errors of a statement.
 * The APIs answer these with `unavailable` (HTTP 503 with Retry-After, gRPC UNAVAILABLE) rather than an
 * internal error: the request is fine, and the same request (with its idempotency key) will work once
 * PostgreSQL is back, which is what clients and load balancers retry on.
 */
import { DomainError } from '../domain/errors.js';

/** Socket-level codes of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server going away or not yet there: class 08 (connection exception), 57P01–57P03
 * (terminated by a shutdown or crash, cannot connect now), 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** pg's own messages for a connection lost outside any statement (they carry no code). */
const LOST_CONNECTION = /^(Connection terminated|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)/;

/** True when `err` says the database is unreachable (not that a statement failed). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

/** The `unavailable` DomainError for a lost database, or undefined for any other error. */
export function databaseUnavailableError(err: unknown): DomainError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return new DomainError('unavailable', 'the database is unreachable; retry shortly', { retryAfterSeconds: 1 });
}
