/** int8 parsing shared by both dialects. */
import { describe, expect, it } from 'vitest';
import { parseInt8, parseInt8Array } from '../../../src/store/type-parsers.js';

describe('int8 parsers', () => {
  it('parse safe integers exactly, including negatives and the 2^53 - 1 boundary', () => {
    expect([parseInt8('0'), parseInt8('-42'), parseInt8('9007199254740991')]).toEqual([0, -42, Number.MAX_SAFE_INTEGER]);
  });

  it('refuse values that a JS number would round', () => {
    expect(() => parseInt8('9007199254740993')).toThrow(RangeError);
  });

  it('parse one-dimensional arrays with NULLs', () => {
    expect(parseInt8Array('{}')).toEqual([]);
    expect(parseInt8Array('{1,-2,NULL,3}')).toEqual([1, -2, null, 3]);
  });
});
