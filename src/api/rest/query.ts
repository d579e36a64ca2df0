/** Parsing of query parameters shared by list endpoints; bad values are 400s that name the parameter. */
import { DomainError } from '../../domain/errors.js';

/** Largest page a list endpoint returns. */
export const MAX_PAGE_LIMIT = 500;

/** Cursor pagination parameters. */
export interface PageParams {
  limit: number;
  cursor?: string;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw DomainError.invalid(`query parameter ${name} must be given once, as a plain value`, [{ path: name, message: 'given more than once or as an object' }]);
  return v;
}

/** Read `limit` (1–500, default `defaultLimit`) and `cursor` from a query string. */
export function pageParams(query: Record<string, unknown>, defaultLimit = 100): PageParams {
  const rawLimit = single(query, 'limit');
  let limit = defaultLimit;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_PAGE_LIMIT) {
      throw DomainError.invalid(`query parameter limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${JSON.stringify(rawLimit)}`, [
        { path: 'limit', message: `expected 1–${MAX_PAGE_LIMIT}` },
      ]);
    }
    limit = Number(rawLimit);
  }
  const cursor = single(query, 'cursor');
  if (cursor !== undefined && cursor.length === 0) throw DomainError.invalid('query parameter cursor must not be empty', [{ path: 'cursor', message: 'empty' }]);
  return cursor === undefined ? { limit } : { limit, cursor };
}

/** Read an optional string parameter. */
export function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  return single(query, name);
}

/** Refuse query parameters an endpoint does not know, so typos do not silently return everything. */
export function onlyParams(query: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw DomainError.invalid(`unknown query parameter ${unknown.map((u) => JSON.stringify(u)).join(', ')}; this endpoint accepts ${allowed.join(', ') || 'none'}`, unknown.map((u) => ({ path: u, message: 'unknown parameter' })));
  }
}
