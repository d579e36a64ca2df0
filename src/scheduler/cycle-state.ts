/**
 * Step 1 of a cycle: turn the snapshot into the working state every rule reads and updates — pools in
 * canonical order, Fair Tree, parties seeded with running jobs, reclaim victims — and a compact job table.
 *
 * The job table is read in priority order, which is random with respect to where the job objects live in
 * memory; copying what the hot loop needs into flat arrays in one pass in snapshot order (one cache miss
 * per job instead of one per field and rule) is what keeps a 100,000-job cycle near the cost of a sort.
 */
import { commitBudget, remainingCommitment } from './budgets.js';
import { computeFairTree } from './fairshare.js';
import { PartyIndex, type Party } from './parties.js';
import { PoolIndex } from './pool-index.js';
import type { FactorArrays, PriorityContext } from './priority.js';
import { factorArrays, FairShareLookup, weighFactors, weighInto } from './priority.js';
import { ReclaimBook } from './reclaim.js';
import { ShapeCache, type Shape } from './shapes.js';
import { ShareBook } from './shares.js';
import type { RunningJob, SchedulerSnapshot } from './types.js';

/** What the queue walk needs of each pending job, by index in snapshot.pending. */
export interface JobTable {
  id: string[];
  shape: Shape[];
  inst: Party[];
  proj: Party[];
  preferredSiteId: (string | undefined)[];
  gpus: Int32Array;
  wallSeconds: Float64Array;
  preemptible: Uint8Array;
}

/** Everything the cycle's steps share. */
export interface CycleState {
  snapshot: SchedulerSnapshot;
  pools: PoolIndex;
  shapes: ShapeCache;
  shares: ShareBook;
  reclaim: ReclaimBook;
  jobs: JobTable;
  /** Weighted factors per pending job (same index as snapshot.pending). */
  factors: FactorArrays;
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
  const factors = factorArrays(n);
  const jobs: JobTable = {
    id: new Array<string>(n), shape: new Array<Shape>(n), inst: new Array<Party>(n), proj: new Array<Party>(n),
    preferredSiteId: new Array<string | undefined>(n), gpus: new Int32Array(n), wallSeconds: new Float64Array(n), preemptible: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const job = pending[i]!;
    weighInto(factors, i, job, pctx, lookup.of(job));
    jobs.id[i] = job.id;
    jobs.shape[i] = shapes.of(job);
    jobs.inst[i] = parties.institution(job.institutionId);
    jobs.proj[i] = parties.project(job.projectId);
    jobs.preferredSiteId[i] = job.preferredSiteId;
    jobs.gpus[i] = job.nodes * job.gpusPerNode;
    jobs.wallSeconds[i] = job.walltimeSeconds;
    jobs.preemptible[i] = job.qos === 'preemptible' ? 1 : 0;
  }
  return { snapshot, pools, shapes, shares, reclaim, jobs, factors };
}
