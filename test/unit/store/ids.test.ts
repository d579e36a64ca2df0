/** Job ids: `j-<ULID>`, time-ordered. */
import { describe, expect, it } from 'vitest';
import { newJobId, ulid } from '../../../src/store/ids.js';

describe('ulid', () => {
  it('encodes time then randomness in 26 Crockford base32 characters', () => {
    expect(ulid(0, new Uint8Array(10))).toBe('0'.repeat(26));
    expect(ulid(1, new Uint8Array(10).fill(255))).toBe(`${'0'.repeat(9)}1${'Z'.repeat(16)}`);
    // The reference example of the ULID spec: 1469918176385 ms → 01ARYZ6S41.
    expect(ulid(1469918176385, new Uint8Array(10)).slice(0, 10)).toBe('01ARYZ6S41');
  });

  it('job ids sort by creation time across milliseconds and do not repeat', () => {
    const ids = [1_000, 2_000, 3_000].map((t) => newJobId(t));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^j-[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    const many = new Set(Array.from({ length: 1000 }, () => newJobId(5_000)));
    expect(many.size).toBe(1000);
  });
});
