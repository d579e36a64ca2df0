/**
 * One scheduling cycle: snapshot → decisions (DESIGN §5). Pure: no I/O, no clock, no randomness; the same
 * snapshot (in any array order) gives the same decisions.
 *
 * Steps, like Kueue's numbered cycle:
 *   1. prepare — canonical pools, Fair Tree, parties with running jobs, priorities, job table (cycle-state)
 *   2. order   — every pending job by priority, then submit time, then id (or fifo); under reclaim, jobs
 *                within their institution's nominal share first, the rest in a second pass (tiers.ts)
 *   3. walk the whole queue once, in that order; for each job, its priority breakdown, then:
 *      a. static verdicts of its shape (invalid, GPU type, cluster)      → verdict
 *      b. budgets, concurrent caps, borrowing rights                      → verdict
 *      c. place now without delaying any reservation                      → dispatch
 *      d. blocked: reclaim borrowed GPUs if within nominal share          → preempt + verdict (reclaim-step)
 *         else a reservation if among the first K blocked jobs            → reservation + verdict
 *         else (strict order, K = 0) freeze its pools for lower jobs      → verdict
 */
import { PriorityBreakdowns } from './breakdowns.js';
import { commitReservation, findReservation } from './backfill.js';
import { budgetRefusal, commitBudget } from './budgets.js';
import { prepareCycle, type CycleState } from './cycle-state.js';
import { commitPlacement, place, type PlaceOutcome } from './placement.js';
import type { PoolRt } from './pool-index.js';
import { scheduleOrder } from './priority.js';
import * as why from './reasons.js';
import { tryReclaim } from './reclaim-step.js';
import type { Shape } from './shapes.js';
import { inFirstPass } from './tiers.js';
import type { CycleDecisions, PendingVerdict, SchedulerSnapshot } from './types.js';

/** Run one scheduling cycle over the whole queue. */
export function runCycle(snapshot: SchedulerSnapshot): CycleDecisions {
  const st = prepareCycle(snapshot);
  const { pending, policy } = snapshot;
  const order = scheduleOrder(pending, st.jobs.priority, policy.ordering, st.jobs.submitted);
  const out: CycleDecisions = { dispatch: [], preempt: [], reservations: [], pending: [], priorities: PriorityBreakdowns.empty() };
  const walk: Walk = { reservations: 0, position: 0, walked: new Int32Array(order.length) };
  // Under reclaim, two passes (tiers.ts): jobs within their institution's nominal share first, then the
  // rest, each in scheduling order. Without reclaim, one pass in scheduling order.
  const second: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (policy.reclaim && !inFirstPass(st, i)) second.push(i);
    else visit(st, i, out, walk);
  }
  for (let k = 0; k < second.length; k++) visit(st, second[k]!, out, walk);
  out.priorities = st.jobs.breakdowns(walk.walked);
  return out;
}

/** Progress of the queue walk. */
interface Walk {
  reservations: number;
  /** Jobs decided so far: positions are 1-based places in the walk (and in `priorities`). */
  position: number;
  /** Job index at each place of the walk. */
  walked: Int32Array;
}

/** Decide one job in walk order, recording its place. */
function visit(st: CycleState, i: number, out: CycleDecisions, walk: Walk): void {
  walk.walked[walk.position++] = i;
  const v = decide(st, i, walk.position, out, walk);
  if (v) out.pending.push(v);
}

/** Step 3 for the job at index `i`: a verdict, or null when it was dispatched. */
function decide(st: CycleState, i: number, position: number, out: CycleDecisions, walk: Walk): PendingVerdict | null {
  const T = st.jobs;
  const id = T.id[i]!;
  const shape = T.shape(i);
  if (shape.verdict) return why.verdict(id, shape.verdict.reason, position, shape.verdict.message);
  const wall = T.wallSeconds(i);
  if (!(wall > 0) || !Number.isFinite(wall)) {
    return why.verdict(id, 'InvalidRequest', position, `walltime must be a positive number of seconds (got ${wall})`);
  }
  const inst = T.inst(i);
  const proj = T.proj(i);
  const gpus = T.gpus(i);
  const preemptible = T.preemptible(i);
  const refusal = budgetRefusal(inst, proj, gpus * wall, preemptible);
  if (refusal) return why.verdict(id, 'BudgetExhausted', position, refusal.message);
  const shares = st.shares;
  const capped = shares.checkConcurrent(inst, proj, gpus);
  if (capped) return why.verdict(id, 'ConcurrentLimit', position, capped);

  // Borrowing: in total mode the answer is the same for every pool; per type, keep the pools it may use.
  let pools = shape.candidates;
  const cooling = T.noBorrowUntil(i) > st.snapshot.now; // preempted moments ago: not on lent GPUs yet
  if (cooling || !shares.mayBorrow(inst, proj, preemptible)) {
    if (shares.perType) pools = pools.filter((p) => !shares.wouldBorrow(inst, gpus, preemptible, p.gpuType));
    if (shares.perType ? pools.length === 0 : shares.wouldBorrow(inst, gpus, preemptible)) {
      const message = cooling ? why.cooldownMessage(T.noBorrowUntil(i)) : why.noBorrowMessage(inst, shares.nominal(inst));
      return why.verdict(id, 'ConcurrentLimit', position, message);
    }
  }
  const outcome = tryPlace(st, i, shape, pools, wall);
  if (outcome.kind === 'placed') {
    const { pool } = outcome.placement;
    const endAt = st.snapshot.now + wall * 1000;
    const borrowed = shares.wouldBorrow(inst, gpus, preemptible, pool.gpuType);
    commitPlacement(outcome.placement, shape.gpusPerNode, endAt, id);
    shares.admit(inst, proj, gpus, pool.gpuType, borrowed);
    commitBudget(inst, proj, gpus * wall);
    out.dispatch.push({
      jobId: id, clusterId: pool.clusterId, poolId: pool.poolId, gpuType: pool.gpuType,
      nodeNames: outcome.placement.nodes.map((k) => pool.nodeNames[k]!), borrowed, backfilled: pool.blockedAbove,
    });
    return null;
  }
  markBlocked(shape);
  const reclaimed = tryReclaim(st, i, pools, position, out);
  if (reclaimed) return reclaimed;
  const policy = st.snapshot.policy;
  const strict = policy.backfillDepth <= 0;
  if (!strict && walk.reservations < policy.backfillDepth && !shape.neverReservable) {
    const plan = findReservation(pools, shape.nodes, shape.gpusPerNode, st.snapshot.pending[i]!.preferredSiteId);
    if (plan) {
      commitReservation(plan, shape.gpusPerNode, wall);
      walk.reservations++;
      const { pool } = plan;
      out.reservations.push({
        jobId: id, clusterId: pool.clusterId, poolId: pool.poolId, startAt: plan.startAt,
        nodeNames: plan.nodes.map((k) => pool.nodeNames[k]!),
      });
      return why.verdict(id, 'Reserved', position, why.reservedMessage(plan), plan.startAt);
    }
    if (pools === shape.candidates) shape.neverReservable = true;
  }
  if (strict) freeze(shape, pools);
  if (outcome.kind === 'full') return why.verdict(id, 'Resources', position, why.resourcesMessage(shape));
  return why.verdict(id, 'Priority', position, why.priorityMessage(shape, strict));
}

/** Placement with the shape's memo: a shape without room stays without room; longer walltimes fail too. */
function tryPlace(st: CycleState, i: number, shape: Shape, pools: PoolRt[], wall: number): PlaceOutcome {
  if (shape.full) return FULL;
  if (wall >= shape.minBlockedWall) return HELD;
  // Only jobs that reach a real placement attempt touch their job object (for the preferred site).
  const endAt = st.snapshot.now + wall * 1000;
  const outcome = place(pools, shape.nodes, shape.gpusPerNode, endAt, st.snapshot.pending[i]!.preferredSiteId);
  if (pools === shape.candidates) {
    if (outcome.kind === 'full') shape.full = true;
    else if (outcome.kind === 'held') shape.minBlockedWall = Math.min(shape.minBlockedWall, wall);
  }
  return outcome;
}

const FULL: PlaceOutcome = { kind: 'full' };
const HELD: PlaceOutcome = { kind: 'held' };

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
