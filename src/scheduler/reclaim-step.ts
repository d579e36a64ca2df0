/**
 * Step 3d of the cycle: reclaim for a blocked job within its nominal share (rules in reclaim.ts).
 *
 * Memoised like placement. A failed search is remembered per shape: if it also fails when every
 * institution's victims count, it fails for every institution at this walltime and longer (longer jobs can
 * use fewer nodes that carry reservations); otherwise the beneficiary's own institution was the obstacle,
 * and the failure is remembered for that institution only. Victims are only ever taken and free GPUs only
 * shrink within a cycle, so a failure stays a failure — with one exception: an institution can rise above
 * its nominal share mid-cycle (by being admitted borrowed work), which makes its jobs victims; a memoised
 * failure may miss that, and the next cycle catches it. Memoising can only make reclaim do less, never
 * break an invariant.
 */
import { commitBudget } from './budgets.js';
import type { CycleState } from './cycle-state.js';
import type { PoolRt } from './pool-index.js';
import * as why from './reasons.js';
import type { CycleDecisions, PendingVerdict } from './types.js';

/** Plan and commit a reclaim for the job at index `i`; its verdict, or null when nothing was reclaimed. */
export function tryReclaim(st: CycleState, i: number, pools: PoolRt[], position: number, out: CycleDecisions): PendingVerdict | null {
  const { shares, reclaim, jobs } = st;
  const { policy, now } = st.snapshot;
  if (!policy.reclaim || reclaim.empty || jobs.preemptible(i)) return null;
  const shape = jobs.shape(i);
  const inst = jobs.inst(i);
  const wall = jobs.wallSeconds(i);
  if (wall >= shape.reclaimFailWallAll || wall >= (shape.reclaimFailWall.get(inst) ?? Number.POSITIVE_INFINITY)) return null;
  const gpus = jobs.gpus(i);
  if (!shares.perType && shares.wouldBorrow(inst, gpus, false)) return null; // only work within its share reclaims
  const within = shares.perType ? pools.filter((p) => !shares.wouldBorrow(inst, gpus, false, p.gpuType)) : pools;
  if (within.length === 0) return null;
  const endAt = now + wall * 1000;
  const plan = reclaim.plan(shape, inst, within, endAt, shares);
  if (!plan) {
    if (within === shape.candidates) {
      if (!reclaim.plan(shape, null, within, endAt, shares)) shape.reclaimFailWallAll = wall;
      else shape.reclaimFailWall.set(inst, wall);
    }
    return null;
  }
  const id = jobs.id[i]!;
  reclaim.commit(plan, { id, nodes: shape.nodes, gpusPerNode: shape.gpusPerNode }, endAt, shares);
  shares.admit(inst, jobs.proj(i), gpus, plan.pool.gpuType, false);
  commitBudget(inst, jobs.proj(i), gpus * wall);
  for (const v of plan.victims) out.preempt.push({ jobId: v.job.id, forJobId: id });
  return why.verdict(id, 'Resources', position, why.reclaimMessage(plan), now);
}
