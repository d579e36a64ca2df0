/**
 * Identifier generation. Grid entities (sites, institutions, …) use readable slugs chosen by the seed or
 * the admin. Jobs use `j-<ULID>`: 48 bits of milliseconds then 80 random bits in Crockford base32, so ids
 * are made without a database round trip, never collide in practice, and sort by creation time (ids
 * minted in the same millisecond sort randomly among themselves).
 */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID for the instant `nowMs` (26 characters). */
export function ulid(nowMs: number, random: Uint8Array = randomBytes(10)): string {
  let time = '';
  let t = Math.floor(nowMs);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let bits = 0n;
  for (const byte of random.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(bits & 31n)]! + rand;
    bits >>= 5n;
  }
  return time + rand;
}

/** A new job id, `j-<ULID>`. */
export function newJobId(nowMs: number = Date.now()): string {
  return `j-${ulid(nowMs)}`;
}

/** A new id with a short prefix for internal rows (e.g. `tok-<ULID>` for API tokens). */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}-${ulid(nowMs)}`;
}
