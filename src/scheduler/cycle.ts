/**
 * One scheduling cycle: snapshot → decisions (DESIGN §5). Pure: no I/O, no clock, no randomness; the same
 * snapshot (in any array order) gives the same decisions.
 *
 * Steps, like Kueue's numbered cycle:
 *   1. prepare — canonical pools, Fair Tree, parties with running jobs, priorities, job table (cycle-state)
 *   2. order   — every pending job by priority, then submit time, then id (or fifo); under reclaim, jobs
 *                within their institution's nominal share first (tiers.ts), and a job that would borrow
 *                by the time its turn comes is deferred among the borrowers
 *   3. walk the whole queue once, in order; for each job:
 *      a. static verdicts of its shape (invalid, GPU type, cluster)      → verdict
 *      b. budgets, concurrent caps, borrowing rights                      → verdict
 *      c. place now without delaying any reservation                      → dispatch
 *      d. blocked: reclaim borrowed GPUs if within nominal share          → preempt + verdict (reclaim-step)
 *         else a reservation if among the first K blocked jobs            → reservation + verdict
 *         else (strict order, K = 0) freeze its pools for lower jobs      → verdict
 *   4. breakdowns of every pending job's priority
 */
import { commitReservation, findReservation } from './backfill.js';
import { budgetRefusal, commitBudget } from './budgets.js';
import { prepareCycle, type CycleState } from './cycle-state.js';
import { commitPlacement, place, type PlaceOutcome } from './placement.js';
import type { PoolRt } from './pool-index.js';
import { compareJobs, scheduleOrder } from './priority.js';
import * as why from './reasons.js';
import { tryReclaim } from './reclaim-step.js';
import type { Shape } from './shapes.js';
import { tierOrder } from './tiers.js';
import type { CycleDecisions, PendingVerdict, SchedulerSnapshot } from './types.js';

/** Run one scheduling cycle over the whole queue. */
export function runCycle(snapshot: SchedulerSnapshot): CycleDecisions {
  const st = prepareCycle(snapshot);
  const { pending, policy } = snapshot;
  const n = pending.length;
  const byPriority = scheduleOrder(pending, st.jobs.priority, policy.ordering);
  const { order, tier0 } = policy.reclaim ? tierOrder(st, byPriority) : { order: byPriority, tier0: 0 };
  const out: CycleDecisions = { dispatch: [], preempt: [], reservations: [], pending: [], priorities: new Array(n) };
  const walk: Walk = { reservations: 0, position: 0, walked: new Int32Array(n), deferring: tier0 > 0 };
  // Tier 0 (within nominal share) first; a tier-0 job that would borrow by the time its turn comes is
  // deferred — with the rest of its institution's tier-0 jobs, to keep their order — into tier 1.
  const deferred: number[] = [];
  for (let k = 0; k < tier0; k++) visit(st, order[k]!, out, walk, deferred);
  walk.deferring = false;
  const rest = deferred.length === 0 ? order.subarray(tier0) : mergeSorted(deferred, order.subarray(tier0), compareJobs(pending, st.jobs.priority, policy.ordering));
  for (const i of rest) visit(st, i, out, walk, deferred);
  const w = st.jobs.weights;
  const ids = st.jobs.id;
  for (let pos = 0; pos < n; pos++) {
    const i = walk.walked[pos]!;
    const b = i * 8;
    out.priorities[pos] = { jobId: ids[i]!, priority: w[b]!, factors: { fairshare: w[b + 1]!, age: w[b + 2]!, qos: w[b + 3]!, size: w[b + 4]! } };
  }
  return out;
}

/** Progress of the queue walk. */
interface Walk {
  reservations: number;
  position: number;
  /** Job indices in the order they were decided (positions are 1-based indices into this). */
  walked: Int32Array;
  /** Tier-0 pass: defer jobs that would now borrow. */
  deferring: boolean;
}

/** Decide one job in walk order (or defer it to tier 1). */
function visit(st: CycleState, i: number, out: CycleDecisions, walk: Walk, deferred: number[]): void {
  if (walk.deferring) {
    const inst = st.jobs.inst(i);
    if (inst.deferred || st.shares.wouldBorrowAnywhere(inst, st.jobs.gpus(i), st.jobs.shape(i).candidates)) {
      inst.deferred = true;
      deferred.push(i);
      return;
    }
  }
  walk.walked[walk.position++] = i;
  const v = decide(st, i, walk.position, out, walk);
  if (v) out.pending.push(v);
}

/** Merge two index lists, each already sorted by `cmp`. */
function mergeSorted(a: readonly number[], b: Int32Array, cmp: (x: number, y: number) => number): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
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
  if (!shares.mayBorrow(inst, proj, preemptible)) {
    pools = shares.perType
      ? pools.filter((p) => !shares.wouldBorrow(inst, gpus, false, p.gpuType))
      : shares.wouldBorrow(inst, gpus, false) ? [] : pools;
    if (pools.length === 0) return why.verdict(id, 'ConcurrentLimit', position, why.noBorrowMessage(inst.id, shares.nominal(inst)));
  }
  const { now, policy } = st.snapshot;
  const endAt = now + wall * 1000;
  const site = T.preferredSiteId[i];
  const outcome = tryPlace(shape, pools, wall, endAt, site);
  if (outcome.kind === 'placed') {
    const { pool } = outcome.placement;
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
  const reclaimed = tryReclaim(st, i, pools, endAt, position, out);
  if (reclaimed) return reclaimed;
  const strict = policy.backfillDepth <= 0;
  if (!strict && walk.reservations < policy.backfillDepth && !shape.neverReservable) {
    const plan = findReservation(pools, shape.nodes, shape.gpusPerNode, site);
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
function tryPlace(shape: Shape, pools: PoolRt[], wall: number, endAt: number, site: string | undefined): PlaceOutcome {
  if (shape.full) return FULL;
  if (wall >= shape.minBlockedWall) return HELD;
  const outcome = place(pools, shape.nodes, shape.gpusPerNode, endAt, site);
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
