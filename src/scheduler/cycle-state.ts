/**
 * Step 1 of a cycle: turn the snapshot into the working state every rule reads and updates — pools in
 * canonical order, Fair Tree, parties seeded with running jobs, reclaim victims — and the job table
 * (job-table.ts), filled in one pass in snapshot order so the walk in priority order never touches job
 * objects.
 */
import { commitBudget, remainingCommitment } from './budgets.js';
import { computeFairTree } from './fairshare.js';
import { PartyIndex } from './parties.js';
import { PoolIndex } from './pool-index.js';
import { JobTable } from './job-table.js';
import type { PriorityContext } from './priority.js';
import { FairShareLookup, weighFactors, weighInto } from './priority.js';
import { ReclaimBook } from './reclaim.js';
import { ShapeCache } from './shapes.js';
import { ShareBook } from './shares.js';
import { reclaimCooldownMs } from './policy.js';
import type { RunningJob, SchedulerSnapshot } from './types.js';

/** Everything the cycle's steps share. */
export interface CycleState {
  snapshot: SchedulerSnapshot;
  pools: PoolIndex;
  shapes: ShapeCache;
  shares: ShareBook;
  reclaim: ReclaimBook;
  jobs: JobTable;
}

/** Build the cycle state from a snapshot (pure; the snapshot is not modified). */
export function prepareCycle(snapshot: SchedulerSnapshot): CycleState {
  const { now, policy } = snapshot;
  const pools = new PoolIndex(snapshot.pools, now);
  const tree = computeFairTree(snapshot.accounts, snapshot.usage);
  const lookup = new FairShareLookup(tree);
  const pctx: PriorityContext = { now, policy, tree, sizeNormGpus: pools.largestPoolGpus() };
  const parties = new PartyIndex(snapshot.accounts, snapshot.budgets);
  const shares = new ShareBook(policy, pools.capacity());
  const reclaim = new ReclaimBook();
  const running: RunningJob[] = [...snapshot.running].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of running) {
    const inst = parties.institution(r.institutionId);
    const proj = parties.project(r.projectId);
    const victimLike = r.borrowed || r.qos === 'preemptible';
    shares.admit(inst, proj, r.nodes * r.gpusPerNode, r.gpuType, victimLike);
    commitBudget(inst, proj, remainingCommitment(r, now));
    const pool = pools.get(r.clusterId, r.poolId);
    if (!pool) continue;
    pool.addRunning(r, r.startedAt + r.walltimeSeconds * 1000);
    if (policy.reclaim && victimLike) reclaim.add(r, inst, proj, pool, weighFactors(r, pctx, lookup.of(r)).priority);
  }
  reclaim.seal();
  const shapes = new ShapeCache(pools);
  const pending = snapshot.pending;
  const n = pending.length;
  const jobs = new JobTable(n, shapes.list, parties.list);
  const cooldownMs = reclaimCooldownMs(policy);
  for (let i = 0; i < n; i++) {
    const job = pending[i]!;
    weighInto(jobs, i, job, pctx, lookup.of(job));
    jobs.set(
      i, job.id, job.submittedAt, job.nodes * job.gpusPerNode, job.walltimeSeconds, job.qos === 'preemptible', shapes.of(job),
      parties.institution(job.institutionId), parties.project(job.projectId),
      job.preemptedAt !== undefined && cooldownMs > 0 ? job.preemptedAt + cooldownMs : 0,
    );
  }
  return { snapshot, pools, shapes, shares, reclaim, jobs };
}
