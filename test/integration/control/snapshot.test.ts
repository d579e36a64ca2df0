/**
 * Snapshot building from the store and the adapters: pools matched by name to registered pools; a
 * draining cluster, one whose adapter throws, or one without an adapter is offered as unavailable (with
 * its registered size, so jobs get `ClusterUnavailable` rather than `GpuTypeUnavailable`); the account
 * tree, decayed usage and budgets come from the store; queued and preempted jobs are pending, running and
 * dispatching ones hold their nodes.
 */
import { beforeAll, expect, it } from 'vitest';
import { setClusterState } from '../../../src/store/index.js';
import { transitionJobs } from '../../../src/store/repositories/jobs.js';
import { upsertUsageAccounts } from '../../../src/store/repositories/usage-accounts.js';
import { runCycle } from '../../../src/scheduler/cycle.js';
import { ClusterHealthBook } from '../../../src/control/cluster-health.js';
import { resolveTuning, silentLogger, type ControlContext } from '../../../src/control/context.js';
import { CrashSwitch } from '../../../src/control/fault-points.js';
import { readGrid } from '../../../src/control/grid-view.js';
import { buildSnapshot } from '../../../src/control/snapshot.js';
import { defaultPolicy } from '../../../src/scheduler/policy.js';
import { jobsInStates } from '../../../src/store/repositories/jobs.js';
import type { ClusterAdapter } from '../../../src/adapters/port.js';
import { describeEachStore } from '../../helpers/db.js';
import { inst, queueJob, setUpGrid, T0, type ControlGrid } from './control-harness.js';

describeEachStore('control: snapshot', (getDb) => {
  let grid: ControlGrid;
  beforeAll(async () => {
    grid = await setUpGrid(getDb());
  });

  const context = (adapters: ReadonlyMap<string, ClusterAdapter>): ControlContext => ({
    db: grid.db, adapters, now: () => grid.clock.now(), policy: defaultPolicy, log: silentLogger,
    health: new ClusterHealthBook(), crash: new CrashSwitch(), tuning: resolveTuning(), isLeader: () => true,
  });

  it('joins live inventories to registered pools and carries jobs, accounts, usage and budgets', async () => {
    const queued = await queueJob(grid, 0, { gpuTypes: ['L40S'] });
    const placed = await queueJob(grid, 1, { gpuTypes: ['A100-40GB'], gpusPerNode: 4 });
    const t = grid.clock.now();
    await transitionJobs(grid.db, [{ jobId: placed.id, from: ['queued'], to: 'dispatching', at: t, patch: { dispatchKey: `${placed.id}:1`, clusterId: 'c-lhr', poolId: 'c-lhr-a100', nodeNames: ['c-lhr-a100-n001'], borrowed: true } }]);
    await upsertUsageAccounts(grid.db, [{ accountId: `${inst(0)}-p/${inst(0)}-r`, value: 1000, asOf: T0 - 7 * 86_400_000 }]);
    const ctx = context(grid.adapters);
    const view = await readGrid(ctx);
    const snap = await buildSnapshot(ctx, view, await jobsInStates(grid.db, ['queued', 'preempted', 'dispatching', 'running']), t);
    expect(snap.pools.map((p) => [p.poolId, p.clusterAvailable, p.nodes.length, p.gpuType])).toEqual([
      ['c-isb-h100', true, 4, 'H100-80GB'], ['c-isb-l40s', true, 2, 'L40S'], ['c-lhr-a100', true, 4, 'A100-40GB'],
    ]);
    expect(snap.pools[0]!.nodes[0]).toEqual({ name: 'c-isb-h100-n001', totalGpus: 8, freeGpus: 8, healthy: true });
    expect(snap.pending.map((p) => p.id)).toContain(queued.id);
    expect(snap.running).toEqual([expect.objectContaining({ id: placed.id, poolId: 'c-lhr-a100', gpuType: 'A100-40GB', startedAt: t, borrowed: true })]);
    expect(snap.accounts.children!.map((c) => c.id)).toEqual([inst(0), inst(1), inst(2), inst(3)]);
    expect(snap.usage[`${inst(0)}-p/${inst(0)}-r`]).toBeCloseTo(500, 6); // a week old, half-life a week
    expect(snap.budgets.find((b) => b.institutionId === inst(0))).toMatchObject({ limitGpuSeconds: 1_000_000 * 3600, spentGpuSeconds: 0, kind: 'hard' });
    await transitionJobs(grid.db, [{ jobId: placed.id, from: ['dispatching'], to: 'cancelled', at: t, patch: { endedAt: t } }]);
  });

  it('a draining cluster, a throwing adapter and a missing adapter make pools unavailable; their jobs are told so', async () => {
    const job = await queueJob(grid, 2, { gpuTypes: ['L40S'] });
    // The real sim cluster, except that its inventory call fails the way an unreachable API does.
    const sim = grid.sims.get('c-lhr')!;
    const broken: ClusterAdapter = Object.assign(Object.create(sim) as ClusterAdapter, { inventory: async () => { throw new Error('connection refused'); } });
    await setClusterState(grid.db, 'c-isb', 'draining');
    try {
      const ctx = context(new Map([['c-lhr', broken]]));
      const view = await readGrid(ctx);
      expect(view.pools.every((p) => !p.clusterAvailable)).toBe(true);
      expect(view.unavailable.get('c-lhr')).toContain('connection refused');
      expect(view.unavailable.get('c-isb')).toBe('no adapter for this cluster');
      expect(view.pools.find((p) => p.poolId === 'c-lhr-a100')!.nodes).toHaveLength(4);
      expect(ctx.health.isBackedOff('c-lhr', grid.clock.now())).toBe(true);
      const withAdapter = context(grid.adapters);
      const drained = await readGrid(withAdapter);
      expect(drained.unavailable.get('c-isb')).toBe('cluster is draining');
      const jobs = await jobsInStates(grid.db, ['queued']);
      const decisions = runCycle(await buildSnapshot(withAdapter, drained, jobs, grid.clock.now()));
      expect(decisions.pending.find((v) => v.jobId === job.id)).toMatchObject({ reason: 'ClusterUnavailable' });
    } finally {
      await setClusterState(grid.db, 'c-isb', 'active');
    }
  });
});
