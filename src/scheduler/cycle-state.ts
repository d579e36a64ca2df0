/**
 * Step 1 of a cycle: turn the snapshot into the working state every rule reads and updates — pools in
 * canonical order, Fair Tree, the share and budget books seeded with running jobs, reclaim victims, and
 * each pending job's weighted priority factors.
 */
import { BudgetBook } from './budgets.js';
import { computeFairTree } from './fairshare.js';
import { PoolIndex } from './pool-index.js';
import type { PriorityContext } from './priority.js';
import { FairShareLookup, weighFactors } from './priority.js';
import { ReclaimBook } from './reclaim.js';
import { ShapeCache } from './shapes.js';
import { ShareBook } from './shares.js';
import type { RunningJob, SchedulerSnapshot } from './types.js';

/** Everything the cycle's steps share. */
export interface CycleState {
  snapshot: SchedulerSnapshot;
  pools: PoolIndex;
  shapes: ShapeCache;
  shares: ShareBook;
  budgets: BudgetBook;
  reclaim: ReclaimBook;
  /** Weighted factors per pending job (same index as snapshot.pending). */
  factors: { priority: Float64Array; fairshare: Float64Array; age: Float64Array; qos: Float64Array; size: Float64Array };
}

/** Build the cycle state from a snapshot (pure; the snapshot is not modified). */
export function prepareCycle(snapshot: SchedulerSnapshot): CycleState {
  const { now, policy } = snapshot;
  const pools = new PoolIndex(snapshot.pools, now);
  const tree = computeFairTree(snapshot.accounts, snapshot.usage);
  const lookup = new FairShareLookup(tree);
  let sizeNormGpus = 1;
  for (const p of pools.pools) {
    let gpus = 0;
    for (let i = 0; i < p.total.length; i++) gpus += p.total[i]!;
    sizeNormGpus = Math.max(sizeNormGpus, gpus);
  }
  const pctx: PriorityContext = { now, policy, tree, sizeNormGpus };
  const running: RunningJob[] = [...snapshot.running].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shares = new ShareBook(policy, snapshot.accounts, snapshot.budgets, pools.capacity());
  const budgets = new BudgetBook(snapshot.budgets, running, now);
  const reclaim = new ReclaimBook();
  for (const r of running) {
    shares.addRunning(r);
    const pool = pools.get(r.clusterId, r.poolId);
    if (!pool) continue;
    pool.addRunning(r, r.startedAt + r.walltimeSeconds * 1000);
    if (policy.reclaim && (r.borrowed || r.qos === 'preemptible')) {
      reclaim.add(r, pool, weighFactors(r, pctx, lookup.of(r)).priority);
    }
  }
  reclaim.seal();
  const n = snapshot.pending.length;
  const factors = {
    priority: new Float64Array(n), fairshare: new Float64Array(n), age: new Float64Array(n),
    qos: new Float64Array(n), size: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const job = snapshot.pending[i]!;
    const f = weighFactors(job, pctx, lookup.of(job));
    factors.priority[i] = f.priority;
    factors.fairshare[i] = f.fairshare;
    factors.age[i] = f.age;
    factors.qos[i] = f.qos;
    factors.size[i] = f.size;
  }
  return { snapshot, pools, shapes: new ShapeCache(pools), shares, budgets, reclaim, factors };
}
