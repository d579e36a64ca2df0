import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addInterval, addUsage, decayFactor, decayTo, zeroDecayed } from '../../../src/scheduler/decay.js';

const DAY = 86_400;
const H = 7 * DAY;

describe('decayed usage accumulator', () => {
  it.each([
    { elapsed: 0, factor: 1 },
    { elapsed: H, factor: 0.5 },
    { elapsed: 2 * H, factor: 0.25 },
    { elapsed: -H, factor: 1 },
  ])('decays by 2^(-$elapsed / half-life)', ({ elapsed, factor }) => {
    expect(decayFactor(elapsed, H)).toBeCloseTo(factor, 12);
  });

  it('halves after one half-life and never runs time backwards', () => {
    const v = { value: 1000, asOf: 0 };
    expect(decayTo(v, H * 1000, H).value).toBeCloseTo(500, 9);
    expect(decayTo(v, -5000, H)).toBe(v);
  });

  it('adds usage at the end of its interval, after decaying what was there', () => {
    let v = zeroDecayed(0);
    v = addUsage(v, 0, 3600, H);
    v = addUsage(v, H * 1000, 3600, H);
    expect(v).toEqual({ value: 1800 + 3600, asOf: H * 1000 });
  });

  it('integrates decay inside a long interval exactly', () => {
    const v = addInterval(zeroDecayed(0), 0, H * 1000, 1, H);
    expect(v.value).toBeCloseTo((H * 0.5) / Math.LN2, 6);
    expect(v.value).toBeLessThan(H);
  });

  it('is incremental: many small updates equal one replay of the history', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 10_000 })), { maxLength: 40 }), (steps) => {
      let v = zeroDecayed(0);
      let t = 0;
      const events: [number, number][] = [];
      for (const [dt, use] of steps) {
        t += dt * 1000;
        v = addUsage(v, t, use, H);
        events.push([t, use]);
      }
      const replay = events.reduce((s, [at, use]) => s + use * decayFactor((t - at) / 1000, H), 0);
      expect(v.value).toBeCloseTo(replay, 6);
    }), { numRuns: 200 });
  });
});
