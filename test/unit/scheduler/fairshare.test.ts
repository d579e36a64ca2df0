import { describe, expect, it } from 'vitest';
import { computeFairTree, jobFairShare, levelFairShare } from '../../../src/scheduler/fairshare.js';
import { userAccountId } from '../../../src/scheduler/types.js';
import { tree } from '../../helpers/scheduler-builders.js';

const leaf = userAccountId;

/** Factors of the given leaves, in the given order. */
function factors(t: ReturnType<typeof computeFairTree>, ids: string[]): number[] {
  return ids.map((id) => t.factor.get(id)!);
}

describe('level fair share', () => {
  it.each([
    { shares: 1, shareSum: 2, usage: 10, usageSum: 20, fs: 1 },
    { shares: 1, shareSum: 4, usage: 10, usageSum: 20, fs: 0.5 },
    { shares: 3, shareSum: 4, usage: 5, usageSum: 20, fs: 3 },
    { shares: 1, shareSum: 2, usage: 0, usageSum: 20, fs: Number.POSITIVE_INFINITY },
    { shares: 1, shareSum: 2, usage: 0, usageSum: 0, fs: Number.POSITIVE_INFINITY },
    { shares: 0, shareSum: 2, usage: 0, usageSum: 20, fs: 0 },
  ])('shares $shares/$shareSum over usage $usage/$usageSum = $fs', ({ shares, shareSum, usage, usageSum, fs }) => {
    expect(levelFairShare(shares, shareSum, usage, usageSum)).toBe(fs);
  });
});

describe('Fair Tree ranking', () => {
  const twoInst = tree({
    a: { projects: { ap: { users: ['u1', 'u2'] } } },
    b: { projects: { bp: { users: ['u3', 'u4'] } } },
  });

  it('ranks every user of the under-served institution above every user of the over-served one', () => {
    // a used 100 in total, b 10: b's heavy user still beats a's light user.
    const t = computeFairTree(twoInst, { [leaf('ap', 'u1')]: 99, [leaf('ap', 'u2')]: 1, [leaf('bp', 'u3')]: 9, [leaf('bp', 'u4')]: 1 });
    expect(factors(t, [leaf('bp', 'u4'), leaf('bp', 'u3'), leaf('ap', 'u2'), leaf('ap', 'u1')])).toEqual([1, 0.75, 0.5, 0.25]);
  });

  it('normalises rank to (0, 1] by the number of leaves', () => {
    const t = computeFairTree(twoInst, { [leaf('ap', 'u1')]: 1, [leaf('ap', 'u2')]: 2, [leaf('bp', 'u3')]: 3, [leaf('bp', 'u4')]: 4 });
    for (const f of t.factor.values()) {
      expect(f).toBeGreaterThan(0);
      expect(f).toBeLessThanOrEqual(1);
    }
    expect(t.leafCount).toBe(4);
  });

  it('puts zero usage first; equal level fair shares tie and share a rank, competition style', () => {
    const t3 = tree({ a: { projects: { ap: { users: ['x', 'y', 'z', 'w'] } } } });
    const t = computeFairTree(t3, { [leaf('ap', 'x')]: 5, [leaf('ap', 'y')]: 5, [leaf('ap', 'w')]: 10 });
    // z has no usage: rank 4. x and y tie: rank 3 both. w: rank 1 (ranks 2 was used by the tie).
    expect(factors(t, [leaf('ap', 'z'), leaf('ap', 'x'), leaf('ap', 'y'), leaf('ap', 'w')])).toEqual([1, 0.75, 0.75, 0.25]);
  });

  it('weighs usage by shares at each level', () => {
    const t2 = tree({ big: { shares: 3, projects: { bp: { users: ['u'] } } }, small: { shares: 1, projects: { sp: { users: ['u'] } } } });
    // big used 3× more than small, with 3× the shares: equal level fair share → tie.
    const tie = computeFairTree(t2, { [leaf('bp', 'u')]: 30, [leaf('sp', 'u')]: 10 });
    expect(factors(tie, [leaf('bp', 'u'), leaf('sp', 'u')])).toEqual([1, 1]);
    const over = computeFairTree(t2, { [leaf('bp', 'u')]: 40, [leaf('sp', 'u')]: 10 });
    expect(factors(over, [leaf('sp', 'u'), leaf('bp', 'u')])).toEqual([1, 0.5]);
  });

  it('merges the children of tied accounts and ranks them together', () => {
    const t2 = tree({
      a: { projects: { ap: { users: ['u1', 'u2'] } } },
      b: { projects: { bp: { users: ['u3', 'u4'] } } },
    });
    // a and b tie at the institution level (10 each); within each, one heavy and one light user.
    const t = computeFairTree(t2, { [leaf('ap', 'u1')]: 9, [leaf('ap', 'u2')]: 1, [leaf('bp', 'u3')]: 8, [leaf('bp', 'u4')]: 2 });
    // Merged at project level (ap and bp tie too), then users: u2 (fs 5) > u4 (2.5) > u3 (0.625) > u1 (0.556).
    expect(factors(t, [leaf('ap', 'u2'), leaf('bp', 'u4'), leaf('bp', 'u3'), leaf('ap', 'u1')])).toEqual([1, 0.75, 0.5, 0.25]);
  });

  it('ranks an account with zero shares last', () => {
    const t2 = tree({ a: { projects: { ap: { users: ['u'] } } }, z: { shares: 0, projects: { zp: { users: ['u'] } } } });
    const t = computeFairTree(t2, { [leaf('ap', 'u')]: 1000 });
    expect(factors(t, [leaf('ap', 'u'), leaf('zp', 'u')])).toEqual([1, 0.5]);
  });

  it('does not depend on the order of siblings in the input', () => {
    const a = tree({ a: { projects: { ap: { users: ['u1', 'u2'] } } }, b: { projects: { bp: { users: ['u3'] } } } });
    const b = { ...a, children: [...a.children!].reverse().map((c) => ({ ...c, children: [...c.children!].reverse() })) };
    const usage = { [leaf('ap', 'u1')]: 3, [leaf('bp', 'u3')]: 3 };
    expect([...computeFairTree(b, usage).factor].sort()).toEqual([...computeFairTree(a, usage).factor].sort());
  });
});

describe('job fair share and fallbacks', () => {
  const t2 = tree({ a: { projects: { ap: { users: ['u1', 'u2'] } } }, b: { projects: { bp: { users: ['u3'] } } } });
  const ft = computeFairTree(t2, { [leaf('ap', 'u1')]: 50, [leaf('ap', 'u2')]: 10, [leaf('bp', 'u3')]: 1 });

  it.each([
    { what: 'the user leaf', inst: 'a', proj: 'ap', user: 'u1', expected: 1 / 3 },
    { what: 'the project (best factor in it) for an unknown user', inst: 'a', proj: 'ap', user: 'new', expected: 2 / 3 },
    { what: 'the institution for an unknown project', inst: 'b', proj: 'nope', user: 'x', expected: 1 },
    { what: 'the lowest rank for an unknown institution', inst: 'zz', proj: 'nope', user: 'x', expected: 1 / 3 },
  ])('uses $what', ({ inst, proj, user, expected }) => {
    expect(jobFairShare(ft, inst, proj, user)).toBeCloseTo(expected, 12);
  });
});
