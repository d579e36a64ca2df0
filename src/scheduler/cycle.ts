/**
 * One scheduling cycle: snapshot → decisions (DESIGN §5). Pure: no I/O, no clock, no randomness; the same
 * snapshot (in any array order) gives the same decisions.
 *
 * Steps, like Kueue's numbered cycle:
 *   1. prepare — canonical pools, Fair Tree, share/budget books with running jobs, priorities (cycle-state)
 *   2. order   — every pending job by priority, then submit time, then id (or fifo)
 *   3. walk the whole queue once, in order; for each job:
 *      a. static verdicts of its shape (invalid, GPU type, cluster)      → verdict
 *      b. budgets, concurrent caps, borrowing rights                      → verdict
 *      c. place now without delaying any reservation                      → dispatch
 *      d. blocked: reclaim borrowed GPUs if within nominal share          → preempt + verdict
 *         else a reservation if among the first K blocked jobs            → reservation + verdict
 *         else (strict order, K = 0) freeze its pools for lower jobs      → verdict
 *   4. breakdowns of every pending job's priority
 */
import { commitReservation, findReservation } from './backfill.js';
import { prepareCycle, type CycleState } from './cycle-state.js';
import { commitPlacement, place, type PlaceOutcome } from './placement.js';
import type { PoolRt } from './pool-index.js';
import { scheduleOrder } from './priority.js';
import * as why from './reasons.js';
import { commitReclaim } from './reclaim.js';
import type { Shape } from './shapes.js';
import type { CycleDecisions, PendingJob, SchedulerSnapshot } from './types.js';

/** Run one scheduling cycle over the whole queue. */
export function runCycle(snapshot: SchedulerSnapshot): CycleDecisions {
  const st = prepareCycle(snapshot);
  const pending = snapshot.pending;
  const order = scheduleOrder(pending, st.factors.priority, snapshot.policy.ordering);
  const out: CycleDecisions = { dispatch: [], preempt: [], reservations: [], pending: [], priorities: [] };
  const walk = { reservations: 0 };
  for (let pos = 0; pos < order.length; pos++) {
    decide(st, pending[order[pos]!]!, pos + 1, out, walk);
  }
  const f = st.factors;
  for (const idx of order) {
    out.priorities.push({
      jobId: pending[idx]!.id,
      priority: f.priority[idx]!,
      factors: { fairshare: f.fairshare[idx]!, age: f.age[idx]!, qos: f.qos[idx]!, size: f.size[idx]! },
    });
  }
  return out;
}

/** Step 3 for one job. */
function decide(st: CycleState, job: PendingJob, position: number, out: CycleDecisions, walk: { reservations: number }): void {
  const { now, policy } = st.snapshot;
  const shape = st.shapes.of(job);
  const say = (reason: Parameters<typeof why.verdict>[1], message: string, at?: number): void => {
    out.pending.push(why.verdict(job.id, reason, position, message, at));
  };
  if (shape.verdict) return say(shape.verdict.reason, shape.verdict.message);
  if (!(job.walltimeSeconds > 0) || !Number.isFinite(job.walltimeSeconds)) {
    return say('InvalidRequest', `walltime must be a positive number of seconds (got ${job.walltimeSeconds})`);
  }
  const refusal = st.budgets.check(job);
  if (refusal) return say('BudgetExhausted', refusal.message);
  const capped = st.shares.checkConcurrent(job);
  if (capped) return say('ConcurrentLimit', capped);

  // Borrowing: in total mode the answer is the same for every pool; per type, keep the pools it may use.
  const shares = st.shares;
  let pools = shape.candidates;
  if (!shares.mayBorrow(job)) {
    pools = shares.perType ? pools.filter((p) => !shares.wouldBorrow(job, p.gpuType)) : shares.wouldBorrow(job) ? [] : pools;
    if (pools.length === 0) return say('ConcurrentLimit', why.noBorrowMessage(job.institutionId, shares.nominal(job.institutionId)));
  }
  const endAt = now + job.walltimeSeconds * 1000;
  const outcome = tryPlace(shape, pools, job, endAt);
  if (outcome.kind === 'placed') {
    const { pool } = outcome.placement;
    const borrowed = shares.wouldBorrow(job, pool.gpuType);
    commitPlacement(outcome.placement, job.gpusPerNode, endAt, job.id);
    shares.admit(job, pool.gpuType, borrowed);
    st.budgets.commit(job);
    out.dispatch.push({
      jobId: job.id, clusterId: pool.clusterId, poolId: pool.poolId, gpuType: pool.gpuType,
      nodeNames: outcome.placement.nodes.map((i) => pool.nodeNames[i]!), borrowed, backfilled: pool.blockedAbove,
    });
    return;
  }
  markBlocked(shape);
  if (tryReclaim(st, shape, pools, job, endAt, position, out)) return;
  const strict = policy.backfillDepth <= 0;
  if (!strict && walk.reservations < policy.backfillDepth && !shape.neverReservable) {
    const plan = findReservation(pools, job.nodes, job.gpusPerNode, job.preferredSiteId);
    if (plan) {
      commitReservation(plan, job.gpusPerNode, job.walltimeSeconds);
      walk.reservations++;
      const { pool } = plan;
      out.reservations.push({ jobId: job.id, clusterId: pool.clusterId, poolId: pool.poolId, startAt: plan.startAt, nodeNames: plan.nodes.map((i) => pool.nodeNames[i]!) });
      return say('Reserved', why.reservedMessage(plan), plan.startAt);
    }
    if (pools === shape.candidates) shape.neverReservable = true;
  }
  if (strict) freeze(shape, pools);
  if (outcome.kind === 'full') return say('Resources', why.resourcesMessage(shape));
  return say('Priority', why.priorityMessage(shape, strict));
}

/** Placement with the shape's memo: a shape without room stays without room; longer walltimes fail too. */
function tryPlace(shape: Shape, pools: PoolRt[], job: PendingJob, endAt: number): PlaceOutcome {
  if (shape.full) return { kind: 'full' };
  if (job.walltimeSeconds >= shape.minBlockedWall) return { kind: 'held' };
  const outcome = place(pools, job.nodes, job.gpusPerNode, endAt, job.preferredSiteId);
  if (pools === shape.candidates) {
    if (outcome.kind === 'full') shape.full = true;
    else if (outcome.kind === 'held') shape.minBlockedWall = Math.min(shape.minBlockedWall, job.walltimeSeconds);
  }
  return outcome;
}

/** Later starts on this shape's pools are backfill (they start ahead of a blocked higher-priority job). */
function markBlocked(shape: Shape): void {
  if (shape.markedBlocked) return;
  shape.markedBlocked = true;
  for (const p of shape.candidates) p.blockedAbove = true;
}

/** Strict priority order: the pools a blocked job could use take nothing more this cycle. */
function freeze(shape: Shape, pools: PoolRt[]): void {
  if (shape.frozen) return;
  if (pools === shape.candidates) shape.frozen = true;
  for (const p of pools) p.frozen = true;
}

/** Step 3d: reclaim for a blocked job within its nominal share; true when a reclaim was planned. */
function tryReclaim(st: CycleState, shape: Shape, pools: PoolRt[], job: PendingJob, endAt: number, position: number, out: CycleDecisions): boolean {
  const { shares, reclaim } = st;
  if (!st.snapshot.policy.reclaim || reclaim.empty || job.qos === 'preemptible') return false;
  if (job.walltimeSeconds >= (shape.reclaimFailWall.get(job.institutionId) ?? Number.POSITIVE_INFINITY)) return false;
  const within = shares.perType ? pools.filter((p) => !shares.wouldBorrow(job, p.gpuType)) : shares.wouldBorrow(job) ? [] : pools;
  if (within.length === 0) return false;
  const plan = reclaim.plan(job, within, endAt, shares);
  if (!plan) {
    if (pools === shape.candidates) shape.reclaimFailWall.set(job.institutionId, job.walltimeSeconds);
    return false;
  }
  commitReclaim(plan, job, endAt, shares);
  shares.admit(job, plan.pool.gpuType, false);
  st.budgets.commit(job);
  for (const v of plan.victims) out.preempt.push({ jobId: v.job.id, forJobId: job.id });
  out.pending.push(why.verdict(job.id, 'Resources', position, why.reclaimMessage(plan), st.snapshot.now));
  return true;
}
