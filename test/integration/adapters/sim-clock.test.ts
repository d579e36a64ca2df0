/** The two sim clocks: a manual one for tests and real time × speed for the server. */
import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../../src/adapters/sim/clock.js';

describe('ManualClock', () => {
  it('fires due callbacks in time order, ties in scheduling order, each at its own instant', () => {
    const clock = new ManualClock(1000);
    const fired: [string, number][] = [];
    clock.schedule(3000, () => fired.push(['c', clock.now()]));
    clock.schedule(2000, () => fired.push(['a', clock.now()]));
    clock.schedule(2000, () => fired.push(['b', clock.now()]));
    const cancelled = clock.schedule(2500, () => fired.push(['x', clock.now()]));
    clock.cancel(cancelled);
    expect(clock.advance(1500)).toBe(2500);
    expect(fired).toEqual([
      ['a', 2000],
      ['b', 2000],
    ]);
    clock.advanceTo(10_000);
    expect(fired.at(-1)).toEqual(['c', 3000]);
    expect(clock.now()).toBe(10_000);
  });

  it('fires callbacks scheduled by callbacks inside the same advance', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.schedule(100, () => clock.schedule(150, () => fired.push(clock.now())));
    clock.advance(200);
    expect(fired).toEqual([150]);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('ScaledClock', () => {
  it('runs speed × faster than the real time it is given', () => {
    let real = 5_000;
    const clock = new ScaledClock({ speed: 60, startMs: 1_000_000, realNow: () => real });
    expect(clock.now()).toBe(1_000_000);
    real += 1000;
    expect(clock.now()).toBe(1_060_000);
  });

  it('fires a callback when simulated time is reached, and not a cancelled one', async () => {
    const clock = new ScaledClock({ speed: 1000 });
    const t0 = clock.now();
    const fired = await new Promise<number>((resolve) => {
      clock.cancel(clock.schedule(t0 + 5_000, () => resolve(-1)));
      clock.schedule(t0 + 20_000, () => resolve(clock.now()));
    });
    expect(fired).toBeGreaterThanOrEqual(t0 + 20_000);
    clock.close();
  });

  it('rejects a speed that is not a positive number', () => {
    expect(() => new ScaledClock({ speed: 0 })).toThrow('sim speed must be a positive number, got 0');
    expect(() => new ScaledClock({ speed: Number.NaN })).toThrow(RangeError);
  });
});
