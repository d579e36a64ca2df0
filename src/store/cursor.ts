/**
 * Opaque cursors for keyset pagination. A cursor is base64url of `v1:<last id>`: opaque to clients (they
 * pass it back unchanged), versioned so the format can change, and validated so a tampered or truncated
 * cursor is a 400 rather than a silently wrong page.
 */
import { DomainError } from '../domain/errors.js';

/** Largest page any list returns. */
export const MAX_LIMIT = 500;
/** Page size when the caller gives none. */
export const DEFAULT_LIMIT = 100;

/** A page of items and the cursor of the next page (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Paging request: `limit` 1–500 (default 100) and the cursor from the previous page. */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** Encode the last id of a page as a cursor. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`v1:${lastId}`, 'utf8').toString('base64url');
}

/** Decode a cursor to the last id it names, or throw DomainError `invalid` naming `cursor`. */
export function decodeCursor(cursor: string): string {
  const bad = () => DomainError.invalid('cursor is not one this server issued; pass nextCursor from the previous page unchanged', [{ path: 'cursor', message: 'malformed cursor' }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.slice(3);
  // Control characters never occur in ids, and PostgreSQL rejects NUL in text with an unmapped error.
  if (!text.startsWith('v1:') || id.length === 0 || [...id].some((ch) => ch.charCodeAt(0) < 0x20) || encodeCursor(id) !== cursor) throw bad();
  return id;
}

/** Check `limit` (integer 1–500, default 100) or throw DomainError `invalid` naming `limit`. */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw DomainError.invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}, got ${limit}`, [{ path: 'limit', message: `expected 1–${MAX_LIMIT}` }]);
  }
  return limit;
}

/** Turn `limit + 1` fetched rows into a page: the extra row only tells that another page exists. */
export function toPage<R, T>(rows: R[], limit: number, idOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const page: Page<T> = { items: items.map(map) };
  if (rows.length > limit && last !== undefined) page.nextCursor = encodeCursor(idOf(last));
  return page;
}
