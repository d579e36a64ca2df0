/**
 * The demo history (src/demo/history.ts): finished jobs the real scheduling core placed on the seeded grid.
 * Checked here on the small test grid over ten days: deterministic, every time in order and inside the
 * period, placements on real available pools that are never over-allocated, owners who are members of
 * the project they charged, and ledger charges that add up to GPUs × run time, split at UTC midnight.
 */
import { describe, expect, it } from 'vitest';
import { buildDemoHistory, dailyCharges, historyUsage } from '../../../src/demo/history.js';
import { previousQuarterStart } from '../../../src/demo/seed-history.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const DAY = 86_400_000;
const from = Date.UTC(2026, 9, 1);
const to = from + 10 * DAY + 3_600_000;
const seed = gridFixture(6);

describe('demo history', () => {
  const h = buildDemoHistory(seed, { from, to, seed: 7, loadFrom: 0.3, loadTo: 0.7 });

  it('is deterministic and has work from every part of the period', () => {
    expect(JSON.stringify(buildDemoHistory(seed, { from, to, seed: 7, loadFrom: 0.3, loadTo: 0.7 }))).toBe(JSON.stringify(h));
    expect(JSON.stringify(buildDemoHistory(seed, { from, to, seed: 8, loadFrom: 0.3, loadTo: 0.7 }))).not.toBe(JSON.stringify(h));
    expect(h.jobs.length).toBeGreaterThan(20);
    expect(Math.min(...h.jobs.map((j) => j.submittedAt))).toBeLessThan(from + 2 * DAY);
    expect(Math.max(...h.jobs.map((j) => j.endedAt))).toBeGreaterThan(to - 3 * DAY);
    expect(new Set(h.jobs.map((j) => j.id)).size).toBe(h.jobs.length);
  });

  it('keeps times in order inside the period, on available pools, charged by members of the project', () => {
    const pools = new Map(seed.pools.map((p) => [p.id, p]));
    const active = new Set(seed.clusters.filter((c) => c.state === 'active').map((c) => c.id));
    const members = new Set(seed.projectMembers.map((m) => `${m.projectId}|${m.userId}`));
    const instOf = new Map(seed.projects.map((p) => [p.id, p.institutionId]));
    for (const j of h.jobs) {
      expect(from <= j.submittedAt && j.submittedAt <= j.startedAt && j.startedAt < j.endedAt && j.endedAt <= to, j.id).toBe(true);
      const pool = pools.get(j.poolId)!;
      expect(pool.clusterId).toBe(j.clusterId);
      expect(active.has(j.clusterId), `${j.id} on ${j.clusterId}`).toBe(true);
      expect(j.gpuType).toBe(pool.gpuType);
      expect(j.gpusPerNode).toBeLessThanOrEqual(pool.gpusPerNode);
      expect(members.has(`${j.projectId}|${j.userId}`)).toBe(true);
      expect(instOf.get(j.projectId)).toBe(j.institutionId);
      expect(j.exitCode).toBe(j.state === 'succeeded' ? 0 : j.state === 'failed' ? 1 : undefined);
    }
  });

  it('never holds more GPUs on a pool than it has', () => {
    const events = h.jobs.flatMap((j) => [
      { pool: j.poolId, at: j.startedAt, gpus: j.nodes * j.gpusPerNode },
      { pool: j.poolId, at: j.endedAt, gpus: -j.nodes * j.gpusPerNode },
    ]).sort((a, b) => a.at - b.at || a.gpus - b.gpus); // ends before starts at one instant
    const held = new Map<string, number>();
    for (const e of events) {
      const now = (held.get(e.pool) ?? 0) + e.gpus;
      held.set(e.pool, now);
      const pool = seed.pools.find((p) => p.id === e.pool)!;
      expect(now).toBeLessThanOrEqual(pool.nodes * pool.gpusPerNode);
    }
  });

  it('charges GPUs × run time, in windows that never cross UTC midnight', () => {
    const byJob = new Map<string, number>();
    for (const c of h.charges) {
      expect(Math.floor(c.windowStart / DAY)).toBe(Math.floor((c.windowEnd - 1) / DAY));
      byJob.set(c.jobId, (byJob.get(c.jobId) ?? 0) + c.gpuSeconds);
    }
    for (const j of h.jobs) {
      const want = ((j.endedAt - j.startedAt) / 1000) * j.nodes * j.gpusPerNode;
      expect(Math.abs((byJob.get(j.id) ?? 0) - want)).toBeLessThanOrEqual(2);
    }
    expect(dailyCharges('x', Date.UTC(2026, 0, 1, 22), Date.UTC(2026, 0, 2, 3), 4).map((c) => c.gpuSeconds)).toEqual([2 * 3600 * 4, 3 * 3600 * 4]);
  });

  it('leaves decayed usage on every account of the fair-share tree, with the decay inside each run integrated', () => {
    const H = 7 * 86_400;
    const now = to;
    const one = { ...h.jobs[0]!, startedAt: now - 2 * H * 1000, endedAt: now - H * 1000, nodes: 1, gpusPerNode: 4 };
    const u = historyUsage([one], now, H);
    // ∫ 4·2^(−(now−t)/H) dt over [now−2H, now−H] = 4·H·(1/2 − 1/4)/ln 2.
    const want = (4 * H * 0.25) / Math.LN2;
    expect([...u.keys()].sort()).toEqual(['national', one.institutionId, one.projectId, `${one.projectId}/${one.userId}`].sort());
    for (const v of u.values()) expect(v).toBeCloseTo(want, 3);
    const all = historyUsage(h.jobs, now, H);
    const byInst = [...new Set(h.jobs.map((j) => j.institutionId))].reduce((s, i) => s + all.get(i)!, 0);
    expect(byInst).toBeCloseTo(all.get('national')!, 3);
  });

  it('starts at the previous quarter', () => {
    expect(new Date(previousQuarterStart(Date.UTC(2026, 10, 28, 4))).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(new Date(previousQuarterStart(Date.UTC(2026, 1, 10))).toISOString()).toBe('2025-10-01T00:00:00.000Z');
  });
});
