import { describe, expect, it } from 'vitest';
import { boundedSlowdown, distribution, jainIndex, percentileSorted, round, waterFill } from '../../../src/simulate/stats.js';

describe('jainIndex', () => {
  it('is 1 for equal values', () => {
    expect(jainIndex([2, 2, 2, 2])).toBe(1);
  });
  it('is 1/n when one gets everything', () => {
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
  });
  it('matches the formula on a known input: (1+2+3)^2 / (3·14) = 36/42', () => {
    expect(jainIndex([1, 2, 3])).toBeCloseTo(36 / 42, 12);
  });
  it('is 1 for no values or all zeros', () => {
    expect(jainIndex([])).toBe(1);
    expect(jainIndex([0, 0])).toBe(1);
  });
});

describe('percentiles and distributions', () => {
  it('uses nearest rank', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileSorted(s, 50)).toBe(5);
    expect(percentileSorted(s, 90)).toBe(9);
    expect(percentileSorted(s, 99)).toBe(10);
    expect(percentileSorted(s, 0)).toBe(1);
  });
  it('summarises without mutating the input', () => {
    const v = [10, 0, 5];
    expect(distribution(v)).toEqual({ count: 3, mean: 5, p50: 5, p90: 10, p99: 10, max: 10 });
    expect(v).toEqual([10, 0, 5]);
    expect(distribution([])).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
  it('rounds without -0', () => {
    expect(Object.is(round(-0.0001, 2), 0)).toBe(true);
    expect(round(1.23456, 3)).toBe(1.235);
  });
});

describe('boundedSlowdown', () => {
  it('bounds short jobs at 10 s and never goes below 1', () => {
    expect(boundedSlowdown(0, 100)).toBe(1);
    expect(boundedSlowdown(90, 1)).toBe(9.1);
    expect(boundedSlowdown(100, 100)).toBe(2);
  });
});

describe('waterFill', () => {
  it('splits by weight when nobody is capped', () => {
    expect(waterFill(100, [1000, 1000], [3, 1])).toEqual([75, 25]);
  });
  it('gives a capped claimant its demand and shares the rest', () => {
    expect(waterFill(100, [10, 1000, 1000], [1, 1, 1])).toEqual([10, 45, 45]);
  });
  it('ignores claimants without demand', () => {
    expect(waterFill(60, [0, 100], [5, 1])).toEqual([0, 60]);
  });
});
