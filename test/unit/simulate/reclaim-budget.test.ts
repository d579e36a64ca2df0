/**
 * Preemption and budgets through the engine, on one node of 8 GPUs shared by a and b (equal shares, so
 * 4 nominal GPUs each).
 *
 * Reclaim (default policy): a starts two 4-GPU jobs at t=0 — the first within its share, the second
 * borrowed. At t=100 b submits a 4-GPU job: nothing is free and b is within its share, so the core
 * preempts a's borrowed job (400 GPU-seconds lost), and b starts at the same instant. b's job ends at t=200,
 * but a's preempted job would borrow again and its reclaim cooldown (600 s by default) runs until t=700:
 * it restarts then (at t=200 with the cooldown off).
 *
 * Budgets (b: 0.5 GPU-h hard per day): b submits two 4-GPU × 300 s jobs at t=0. The first is admitted
 * (1,200 of 1,800 GPU-s); the second would need 1,200 more and is held for budget — one exhaustion event —
 * until the budget resets at the next period, one day later.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/simulate/csv-parser.js';
import { simulate } from '../../../src/simulate/engine.js';
import { namedPolicy, type SimPolicy } from '../../../src/simulate/policy-loader.js';
import { DEFAULT_MAPPING, type SimGrid } from '../../../src/simulate/sim-grid.js';
import { mapWorkload } from '../../../src/simulate/workload-mapping.js';

const grid: SimGrid = {
  name: 'one-node',
  pools: [{ clusterId: 'c', poolId: 'p', siteId: 's', gpuType: 'h100', nodes: 1, gpusPerNode: 8, available: true }],
  institutions: [{ id: 'a', name: 'a', shares: 1 }, { id: 'b', name: 'b', shares: 1 }],
  allocations: [],
  budgetPeriodSeconds: 86400,
  mapping: DEFAULT_MAPPING,
};

function run(csv: string, policy: SimPolicy) {
  const { jobs } = mapWorkload(parseCsv(csv), grid);
  const r = simulate(jobs, grid, policy);
  const starts = jobs.map((j) => (r.recorder.startAt[j.index]! - r.start) / 1000);
  return { r, starts };
}

describe('reclaim', () => {
  it('preempts the borrowed job for a job within its share and restarts it later', () => {
    const { r, starts } = run('submit_time,duration,gpus,institution\n0,1000,4,a\n0,1000,4,a\n100,100,4,b\n', namedPolicy('default'));
    expect(r.recorder.preemptions).toBe(1);
    expect(r.recorder.lostGpuSeconds).toBe(400);
    expect(starts).toEqual([0, 700, 100]);
    expect(r.unfinished).toBe(0);
  });

  it('without the cooldown restarts the victim as soon as GPUs are free', () => {
    const noCooldown: SimPolicy = { ...namedPolicy('default'), scheduler: { ...namedPolicy('default').scheduler, reclaimCooldownSeconds: 0 } };
    const { r, starts } = run('submit_time,duration,gpus,institution\n0,1000,4,a\n0,1000,4,a\n100,100,4,b\n', noCooldown);
    expect(r.recorder.preemptions).toBe(1);
    expect(starts).toEqual([0, 200, 100]);
  });

  it('does not preempt under fifo (reclaim off)', () => {
    const { r, starts } = run('submit_time,duration,gpus,institution\n0,1000,4,a\n0,1000,4,a\n100,100,4,b\n', namedPolicy('fifo'));
    expect(r.recorder.preemptions).toBe(0);
    expect(starts).toEqual([0, 0, 1000]);
  });
});

describe('budgets', () => {
  it('holds a job that would overspend a hard budget until the next period, and records one event', () => {
    const policy: SimPolicy = { ...namedPolicy('fifo'), budgets: { mode: 'table', kind: 'hard', gracePct: 0, institutions: { b: 0.5 } } };
    const { r, starts } = run('submit_time,duration,gpus,institution\n0,300,4,b\n0,300,4,b\n', policy);
    expect(starts).toEqual([0, 86400]);
    expect(r.recorder.budgetEvents).toEqual([{ institutionId: 'b', period: 0, at: r.start, jobId: 'j0000002' }]);
  });
});
