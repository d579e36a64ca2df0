/**
 * Canonical JSON and its SHA-256: keys sorted at every level, no whitespace, numbers as JSON.stringify
 * writes them. Stored jsonb may come back with its keys in another order; the canonical text does not
 * change, so a snapshot's hash can be re-verified from what the database returns.
 */
import { createHash } from 'node:crypto';

/** The canonical JSON text of `value` (undefined members dropped, like JSON.stringify). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Hex SHA-256 of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
