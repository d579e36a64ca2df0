/**
 * Database errors that callers can act on, turned into DomainErrors: a unique key taken → `conflict`,
 * a CHECK, NOT NULL or foreign key refused → `invalid`, an append-only table touched → `conflict`.
 * Anything else (connection loss, bugs) passes through unchanged.
 */
import { DomainError } from '../domain/errors.js';

/** The fields pg and PGlite both put on a server error. */
interface PgServerError {
  code?: string;
  message: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  invalidText: '22P02',
  badCharacter: '22021', // e.g. a NUL byte in text
  appendOnly: 'NCG01', // raised by ncg_refuse_change() (migration 0003)
} as const;

function asServerError(err: unknown): PgServerError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Partial<PgServerError>;
  return typeof e.code === 'string' && typeof e.message === 'string' ? (e as PgServerError) : undefined;
}

/** The DomainError for a database error, or the error itself when it is not one callers can act on. */
export function mapDbError(err: unknown): unknown {
  const e = asServerError(err);
  if (!e) return err;
  const details = { constraint: e.constraint, table: e.table, detail: e.detail, sqlstate: e.code };
  switch (e.code) {
    case SQLSTATE.uniqueViolation:
      return new DomainError('conflict', `already exists: ${e.detail ?? e.message}`, details);
    case SQLSTATE.appendOnly:
      return new DomainError('conflict', e.message, details);
    case SQLSTATE.foreignKeyViolation:
      return DomainError.invalid(`refers to something that does not exist: ${e.detail ?? e.message}`, [], details);
    case SQLSTATE.checkViolation:
    case SQLSTATE.notNullViolation:
    case SQLSTATE.invalidText:
    case SQLSTATE.badCharacter:
      return DomainError.invalid(`rejected by the database: ${e.message}`, [], details);
    default:
      return err;
  }
}

/** Run `fn`, rethrowing database errors as DomainErrors where they have a meaning for the caller. */
export async function withDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapDbError(err);
  }
}
