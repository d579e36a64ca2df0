/** Opaque cursors and page limits. */
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { checkLimit, decodeCursor, encodeCursor, toPage } from '../../../src/store/cursor.js';

describe('cursor', () => {
  it('round-trips any id, including non-ASCII and separators', () => {
    for (const id of ['inst-00', 'a:b:c', 'جامعہ', ' x ']) expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  it('is base64url of a versioned payload, so clients cannot read structure into it by accident', () => {
    expect(encodeCursor('nust')).toBe(Buffer.from('v1:nust').toString('base64url'));
  });

  it('rejects garbage, other versions, an empty id and non-canonical encodings', () => {
    const bad = ['', '***', Buffer.from('v2:nust').toString('base64url'), Buffer.from('v1:').toString('base64url'), `${encodeCursor('nust')}A`];
    for (const c of bad) {
      let err: unknown;
      try {
        decodeCursor(c);
      } catch (e) {
        err = e;
      }
      expect([c, isDomainError(err) && err.code]).toEqual([c, 'invalid']);
    }
  });
});

describe('checkLimit', () => {
  it('defaults to 100 and accepts 1..500', () => {
    expect([checkLimit(undefined), checkLimit(1), checkLimit(500)]).toEqual([100, 1, 500]);
  });

  it('rejects 0, 501, fractions and NaN', () => {
    for (const n of [0, 501, 1.5, Number.NaN]) expect(() => checkLimit(n)).toThrow(/limit must be a whole number from 1 to 500/);
  });
});

describe('toPage', () => {
  it('uses the extra row only to decide that a next page exists', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(toPage(rows, 2, (r) => r.id, (r) => r.id)).toEqual({ items: ['a', 'b'], nextCursor: encodeCursor('b') });
    expect(toPage(rows, 3, (r) => r.id, (r) => r.id)).toEqual({ items: ['a', 'b', 'c'] });
  });
});
