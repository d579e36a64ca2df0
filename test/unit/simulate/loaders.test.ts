import { describe, expect, it } from 'vitest';
import { defaultPolicy, fifoPolicy } from '../../../src/scheduler/policy.js';
import { loadGrid } from '../../../src/simulate/grid-loader.js';
import { namedPolicy, parsePolicy } from '../../../src/simulate/policy-loader.js';
import { gangShape, mapWorkload } from '../../../src/simulate/workload-mapping.js';
import { parseSwf } from '../../../src/simulate/swf-parser.js';
import { parseWorkloadText } from '../../../src/simulate/workload-loader.js';

const inline = `
name: lab
budgetPeriodDays: 30
pools:
  - { id: big, gpuType: h100, nodes: 4, gpusPerNode: 8 }
  - { id: small, gpuType: l40s, nodes: 2, gpusPerNode: 4, available: false }
institutions: [{ id: a, shares: 3 }, { id: b, shares: 1 }]
allocations: [{ institution: b, gpuHours: 10, kind: hard }]
workload: { institutionBy: user, institutionTable: { u7: a }, gpusPerProcessor: 2, timeScale: 0.5 }
`;

describe('grid files', () => {
  it('loads an inline grid with defaults filled in', () => {
    const g = loadGrid({ text: inline, fileName: 'lab.yaml' });
    expect(g.name).toBe('lab');
    expect(g.pools[0]).toEqual({ clusterId: 'big-cluster', poolId: 'big', siteId: 'site', gpuType: 'h100', nodes: 4, gpusPerNode: 8, available: true });
    expect(g.pools[1]!.available).toBe(false);
    expect(g.allocations[0]).toMatchObject({ institutionId: 'b', gpuHours: 10, kind: 'hard', gracePct: 0, mayBorrow: true });
    expect(g.budgetPeriodSeconds).toBe(30 * 86400);
    expect(g.mapping).toEqual({ institutionBy: 'user', institutionTable: { u7: 'a' }, gpusPerProcessor: 2, timeScale: 0.5 });
  });

  it('names the offending key', () => {
    expect(() => loadGrid({ text: 'pools: [{ id: p, gpuType: x, nodes: 0, gpusPerNode: 8 }]\ninstitutions: [{ id: a, shares: 1 }]', fileName: 'g.yaml' })).toThrow(/g\.yaml: invalid:\n {2}pools\.0\.nodes: /);
    expect(() => loadGrid({ text: 'pools: []\ninstitutions: [{ id: a, shares: 1 }]\nsharez: 1', fileName: 'g.yaml' })).toThrow(/sharez: unknown key/);
    expect(() => loadGrid({ text: 'institutions: [{ id: a, shares: 1 }]', fileName: 'g.yaml' })).toThrow(/pools: required/);
    expect(() => loadGrid({ text: `${inline}\n`.replace('institution: b', 'institution: nope'), fileName: 'g.yaml' })).toThrow(/allocations\.0\.institution: unknown institution "nope"/);
  });

  it('loads the embedded national grid by name', () => {
    const g = loadGrid({ name: 'national' });
    expect(g.institutions.length).toBeGreaterThanOrEqual(100);
    expect(g.pools.length).toBeGreaterThan(0);
    expect(g.allocations.length).toBeGreaterThan(0);
    expect([...g.institutions.map((i) => i.id)]).toEqual([...g.institutions.map((i) => i.id)].sort());
  });
});

describe('policy files', () => {
  it('resolves the named baselines', () => {
    expect(namedPolicy('fifo').scheduler).toBe(fifoPolicy);
    expect(namedPolicy('default').budgets).toEqual({ mode: 'none' });
    expect(() => namedPolicy('lifo')).toThrow(/unknown policy "lifo"/);
  });

  it('overrides a baseline with what the file names', () => {
    const p = parsePolicy('base: default\nhalfLifeDays: 1\nweights: { age: 5 }\nbackfillDepth: 3\nreclaim: false\nshares: { a: 9 }\nbudgets: { periodDays: 7, defaultGpuHours: 100, institutions: { b: 5 } }\ncycleIntervalSeconds: 30\n', 'short.yaml');
    expect(p.name).toBe('short');
    expect(p.scheduler).toEqual({ ...defaultPolicy, halfLifeSeconds: 86400, weights: { ...defaultPolicy.weights, age: 5 }, backfillDepth: 3, reclaim: false });
    expect(p.shares).toEqual({ a: 9 });
    expect(p.budgets).toEqual({ mode: 'table', periodDays: 7, kind: 'hard', gracePct: 0, defaultGpuHours: 100, institutions: { b: 5 } });
    expect(p.cycleIntervalSeconds).toBe(30);
    expect(parsePolicy('reclaimCooldownSeconds: 0\n', 'eager.yaml').scheduler.reclaimCooldownSeconds).toBe(0);
    expect(() => parsePolicy('reclaimCooldownSeconds: -5\n', 'bad.yaml')).toThrow(/reclaimCooldownSeconds/);
  });

  it('names bad keys', () => {
    expect(() => parsePolicy('weights: { fairshare: -1 }', 'p.yaml')).toThrow(/weights\.fairshare: /);
    expect(() => parsePolicy('backfil: 3', 'p.yaml')).toThrow(/backfil: unknown key/);
    expect(() => parsePolicy('base: lifo', 'p.yaml')).toThrow(/base: /);
  });
});

describe('workload mapping', () => {
  const grid = loadGrid({ text: inline, fileName: 'lab.yaml' });

  it('maps processors, users and times by the grid file', () => {
    const w = parseSwf('; UnixStartTime: 1000\n; MaxProcs: 16\n1 100 -1 50 3 -1 -1 3 -1 -1 1 7 2 -1 1 1 -1 -1\n2 200 -1 50 12 -1 -1 12 40 -1 1 8 2 -1 1 1 -1 -1\n');
    const { jobs, summary } = mapWorkload(w, grid);
    expect(jobs[0]).toMatchObject({ institutionId: 'a', userId: 'u7', submitAt: 1_000_000 + 50_000, nodes: 1, gpusPerNode: 6, walltimeSeconds: 50, runSeconds: 50 });
    // 24 GPUs on 8-GPU nodes: 3 whole nodes; its 50 s run is cut at the 40 s walltime.
    expect(jobs[1]).toMatchObject({ nodes: 3, gpusPerNode: 8, gpus: 24, runSeconds: 40, walltimeSeconds: 40 });
    expect(summary).toMatchObject({ gpusPerProcessor: 2, timeScale: 0.5, institutionBy: 'user', cutAtWalltime: 1 });
  });

  it('shapes gangs to whole nodes and clamps to the largest pool', () => {
    const pools = grid.pools.filter((p) => p.available);
    expect(gangShape(5, undefined, pools)).toEqual({ nodes: 1, gpusPerNode: 5, clamped: false });
    expect(gangShape(9, undefined, pools)).toEqual({ nodes: 2, gpusPerNode: 8, clamped: false });
    expect(gangShape(100, undefined, pools)).toEqual({ nodes: 4, gpusPerNode: 8, clamped: true });
    expect(gangShape(16, 4, pools)).toEqual({ nodes: 4, gpusPerNode: 4, clamped: false });
  });

  it('keeps the offered load with timeScale auto and rejects unknown institutions', () => {
    const auto = { ...grid, mapping: { ...grid.mapping, timeScale: 'auto' as const, gpusPerProcessor: 1 } };
    const { summary } = mapWorkload(parseSwf('; MaxProcs: 16\n1 100 -1 50 3 -1 -1 3 -1 -1 1 7 2 -1 1 1 -1 -1\n'), auto);
    expect(summary.timeScale).toBe(0.5); // 16 processors onto 32 available GPUs
    expect(() => mapWorkload(parseWorkloadText('submit_time,duration,gpus,institution\n0,1,1,zzz\n', 'w.csv', grid), grid)).toThrow(/institution "zzz" is not in grid lab/);
  });

  it('validates synthetic specs by key', () => {
    expect(() => parseWorkloadText('jobs: 10\narrival: { process: poisson, ratePerHour: 0 }\nduration: { distribution: fixed, seconds: 1 }\ngpus: [{ gpus: 1, weight: 1 }]', 's.yaml', grid)).toThrow(/arrival\.ratePerHour/);
    expect(() => parseWorkloadText('x', 'w.txt', grid)).toThrow(/unknown format/);
  });
});
