/**
 * A hand-checkable 10-job workload. Grid: one node of 4 GPUs; institutions a and b with equal shares, one
 * user each. Every job takes the whole node for exactly 100 s (walltime = run time), so jobs run one at a
 * time and each start is the previous finish.
 *
 *   job  inst submit      job  inst submit
 *   1    a    0           6    b    5
 *   2    a    1           7    a    6
 *   3    a    2           8    b    7
 *   4    a    3           9    a    8
 *   5    b    4           10   b    9
 *
 * FIFO: submit order, so job k (1-based) starts at 100·(k−1) and waits 100·(k−1) − (k−1) = 99·(k−1):
 *   0, 99, 198, 297, 396, 495, 594, 693, 792, 891.
 *
 * Fair share (Fair Tree, strict priority order, no reclaim): at each finish the institution with the lower
 * decayed usage goes first (with a 7-day half-life, 100 s barely decays: usage ≈ 400 GPU-s per job run;
 * at equal run counts the one that ran *longer ago* has decayed a little more, so it goes first):
 *   t=0 only job 1 (a) → starts, wait 0
 *   t=100 a 400, b 0 → b: job 5 (wait 96)            t=200 a ≈ b, a's is older → a: job 2 (wait 199)
 *   t=300 a 800, b 400 → b: job 6 (wait 295)         t=400 a ≈ b, a older → a: job 3 (wait 398)
 *   t=500 a 1200, b 800 → b: job 8 (wait 493)        t=600 a ≈ b, a older → a: job 4 (wait 597)
 *   t=700 a 1600, b 1200 → b: job 10 (wait 691)      t=800, 900 only a is left → job 7 (794), job 9 (892)
 * So b's mean wait drops from 618.75 s (FIFO) to 393.75 s, and a's rises from 396 s to 480 s.
 */
import { describe, expect, it } from 'vitest';
import { fairshareNoBackfillPolicy, fifoPolicy } from '../../../src/scheduler/policy.js';
import { parseCsv } from '../../../src/simulate/csv-parser.js';
import { simulate } from '../../../src/simulate/engine.js';
import type { SimPolicy } from '../../../src/simulate/policy-loader.js';
import { DEFAULT_MAPPING, type SimGrid } from '../../../src/simulate/sim-grid.js';
import { mapWorkload } from '../../../src/simulate/workload-mapping.js';

const csv = `submit_time,duration,gpus,institution,user
0,100,4,a,ua
1,100,4,a,ua
2,100,4,a,ua
3,100,4,a,ua
4,100,4,b,ub
5,100,4,b,ub
6,100,4,a,ua
7,100,4,b,ub
8,100,4,a,ua
9,100,4,b,ub
`;

const grid: SimGrid = {
  name: 'one-node',
  pools: [{ clusterId: 'c', poolId: 'p', siteId: 's', gpuType: 'h100', nodes: 1, gpusPerNode: 4, available: true }],
  institutions: [{ id: 'a', name: 'a', shares: 1 }, { id: 'b', name: 'b', shares: 1 }],
  allocations: [],
  budgetPeriodSeconds: 86400,
  mapping: DEFAULT_MAPPING,
};

function waits(policy: SimPolicy): number[] {
  const { jobs } = mapWorkload(parseCsv(csv), grid);
  const r = simulate(jobs, grid, policy);
  return jobs.map((j) => (r.recorder.startAt[j.index]! - j.submitAt) / 1000);
}

const base = { shares: {}, budgets: { mode: 'none' as const }, cycleIntervalSeconds: 0 };

describe('ten-job workload', () => {
  it('FIFO waits are 99·(k−1)', () => {
    expect(waits({ ...base, name: 'fifo', scheduler: fifoPolicy })).toEqual([0, 99, 198, 297, 396, 495, 594, 693, 792, 891]);
  });

  it('fair share alternates institutions by decayed usage', () => {
    const policy = { ...base, name: 'fair', scheduler: { ...fairshareNoBackfillPolicy, reclaim: false } };
    expect(waits(policy)).toEqual([0, 199, 398, 597, 96, 295, 794, 493, 892, 691]);
  });

  it('finishes every job, keeps the node busy and never preempts', () => {
    const { jobs } = mapWorkload(parseCsv(csv), grid);
    const r = simulate(jobs, grid, { ...base, name: 'fifo', scheduler: fifoPolicy });
    expect(r.unfinished).toBe(0);
    expect(r.recorder.preemptions).toBe(0);
    expect((r.end - r.start) / 1000).toBe(1000);
    expect(r.recorder.allocated.times.length).toBeGreaterThan(0);
  });
});
