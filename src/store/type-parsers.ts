/**
 * Result parsing shared by both dialects, so pg and PGlite hand back the same JS types:
 * int8 (and int8[]) → number, refusing values beyond 2^53 rather than silently rounding;
 * timestamptz → Date, jsonb → parsed, text[] → string[] are already the default of both drivers.
 */

/** PostgreSQL type oids we parse ourselves. */
export const OID = { INT8: 20, INT8_ARRAY: 1016 } as const;

/**
 * Parse int8 text as a JS number. GPU-seconds, counts and identity keys fit in 2^53 by far (2^53 GPU-seconds
 * is ~285 million GPU-years); a larger value means corrupt data, so we fail loudly instead of rounding.
 */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value ${text} is beyond Number.MAX_SAFE_INTEGER; ncg reads bigint columns as JS numbers`);
  }
  return n;
}

/** Parse an int8[] literal such as `{1,2,NULL}` into numbers (null elements stay null). */
export function parseInt8Array(text: string): (number | null)[] {
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  return inner.split(',').map((t) => (t === 'NULL' ? null : parseInt8(t)));
}
