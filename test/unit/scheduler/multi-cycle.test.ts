/**
 * Many cycles over simulated time (test/helpers/scheduler-harness.ts): fairness converges to shares,
 * big jobs do not starve behind streams of small ones, and backfill never delays a reservation.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/scheduler/policy.js';
import { SchedulerHarness, type SimJob } from '../../helpers/scheduler-harness.js';
import { HOUR, HOUR_MS, T0, flatTree, job, pool, tree } from '../../helpers/scheduler-builders.js';

/** A seeded LCG in [0, 1) for workload shapes (the core never sees it). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

const grid = [pool('p', { nodes: 8, gpus: 8 })]; // 64 GPUs

describe('multi-cycle behaviour', () => {
  it.each([
    // Fair Tree alone (no reclaim, so no nominal-share tiering): decayed usage steers the long run.
    { what: 'Fair Tree alone', policy: { ...defaultPolicy, reclaim: false }, warmDays: 4, days: 12 },
    // The default policy: nominal shares equal the fair-share weights, guaranteed first, reclaim on.
    { what: 'the default policy (nominal shares, reclaim)', policy: defaultPolicy, warmDays: 1, days: 3 },
  ])('$what: long-run GPU-hours converge to shares 1:1:2:4 within 5% under saturating demand', ({ policy, warmDays, days }) => {
    const shares = { i1: 1, i2: 1, i3: 2, i4: 4 };
    let n = 0;
    const h = new SchedulerHarness({
      policy, accounts: flatTree(shares), pools: grid, start: T0, tickMs: 20 * 60_000,
      refill: (sim) => {
        const queued = new Map<string, number>();
        for (const j of sim.pending.values()) queued.set(j.institutionId, (queued.get(j.institutionId) ?? 0) + 1);
        const out: SimJob[] = [];
        for (const inst of Object.keys(shares)) {
          for (let q = queued.get(inst) ?? 0; q < 40; q++) out.push({ ...job(`${inst}-${n++}`, { inst, submittedAt: sim.now }), durationSeconds: HOUR });
        }
        return out;
      },
    });
    h.runUntil(T0 + warmDays * 24 * HOUR_MS);
    h.measureFrom = h.now;
    h.runUntil(T0 + (warmDays + days) * 24 * HOUR_MS);
    const got = h.gpuHours();
    const total = Object.values(got).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0.99 * 64 * days * 24); // saturated: the grid never idles
    for (const [inst, s] of Object.entries(shares)) {
      const expected = (s / 8) * total;
      expect(Math.abs(got[inst]! - expected) / expected, `${inst}: ${got[inst]} vs ${expected}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('a 64-GPU job behind a stream of 1-GPU jobs starts no later than its first reservation', () => {
    const rnd = lcg(7);
    let n = 0;
    const big: SimJob = { ...job('big', { nodes: 8, gpusPerNode: 8, walltimeSeconds: 2 * HOUR, userId: 'big', submittedAt: T0 + 2 * HOUR_MS }), durationSeconds: 2 * HOUR };
    const h = new SchedulerHarness({
      policy: defaultPolicy, accounts: tree({ a: { projects: { 'a-p': { users: ['stream', 'big'] } } } }), pools: grid, start: T0, arrivals: [big],
      refill: (sim) => {
        const out: SimJob[] = [];
        for (let q = sim.pending.size; q < 100; q++) {
          const wall = (1 + Math.floor(rnd() * 3)) * 20 * 60; // 20, 40 or 60 minutes
          out.push({ ...job(`s${n++}`, { userId: 'stream', walltimeSeconds: wall, submittedAt: sim.now }), durationSeconds: Math.round(wall * (0.5 + rnd() / 2)) });
        }
        return out;
      },
    });
    h.runUntil(T0 + 10 * HOUR_MS);
    const reserved = h.firstReservation.get('big');
    expect(reserved).toBeDefined();
    expect(h.starts.get('big')).toBeDefined();
    expect(h.starts.get('big')!).toBeLessThanOrEqual(reserved!);
    // The stream kept flowing around the reservation: small jobs were backfilled while big waited.
    const backfilledWhileWaiting = [...h.backfilled].filter((id) => h.starts.get(id)! >= big.submittedAt && h.starts.get(id)! < h.starts.get('big')!);
    expect(backfilledWhileWaiting.length).toBeGreaterThan(0);
  });

  it('backfilled jobs never delay a reservation: every reserved job starts by its first reservation', () => {
    const rnd = lcg(11);
    const shapes: [number, number][] = [[1, 1], [1, 2], [1, 4], [1, 8], [2, 8], [4, 8], [8, 8]];
    const arrivals: SimJob[] = [];
    for (let k = 0, t = T0; k < 400; k++) {
      t += Math.round(rnd() * 6 * 60_000);
      const [nodes, g] = shapes[Math.floor(rnd() * shapes.length)]!;
      const wall = (1 + Math.floor(rnd() * 4)) * HOUR;
      arrivals.push({ ...job(`j${k}`, { nodes, gpusPerNode: g, walltimeSeconds: wall, submittedAt: t }), durationSeconds: Math.round(wall * (0.3 + 0.7 * rnd())) });
    }
    // One user, no size weight: priority order is submit order, so no later arrival may legitimately jump ahead.
    const h = new SchedulerHarness({
      policy: { ...defaultPolicy, weights: { ...defaultPolicy.weights, size: 0 }, backfillDepth: 1000 },
      accounts: flatTree({ a: 1 }), pools: grid, start: T0, arrivals,
    });
    h.runUntil(T0 + 400 * HOUR_MS);
    expect(h.starts.size).toBe(arrivals.length);
    expect(h.firstReservation.size).toBeGreaterThan(50);
    expect(h.backfilled.size).toBeGreaterThan(20);
    const late = [...h.firstReservation].filter(([id, at]) => h.starts.get(id)! > at);
    expect(late).toEqual([]);
  });
});
