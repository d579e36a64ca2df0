/**
 * Guaranteed work first (the reclaim-aware order). When reclaim is on, the queue is walked in two tiers,
 * each in scheduling order: first every job that fits in its institution's nominal share, then every job
 * that would borrow. This is how Kueue admits workloads that need no borrowing before those that do, and
 * for the same reason: otherwise GPUs that look idle in this cycle are lent to work that reclaim preempts in
 * the next, for a within-share job that was merely further down the queue.
 *
 * Tiers are per institution prefixes: walking the priority order, an institution's jobs are tier 0 while
 * they (cumulatively, from its guaranteed GPUs) fit in its nominal share; its first job that would borrow,
 * and every later one, is tier 1. So an institution's own jobs never overtake each other — a big job that
 * exceeds the institution's share is not starved by that institution's own stream of small jobs — and
 * `preemptible` jobs (always borrowed) are tier 1 without closing the prefix.
 *
 * Cross-institution consequence (by design): a job larger than what its institution is owed runs only on
 * capacity nobody within their share is waiting for.
 */
import type { CycleState } from './cycle-state.js';

/** `order` stably partitioned into tier 0 then tier 1; `tier0` is the length of the first part. */
export function tierOrder(st: CycleState, order: Int32Array): { order: Int32Array; tier0: number } {
  const { jobs, shares } = st;
  const out = new Int32Array(order.length);
  const second: number[] = [];
  let first = 0;
  for (const i of order) {
    const inst = jobs.inst(i);
    const shape = jobs.shape(i);
    if (inst.tierClosed || shape.verdict || jobs.preemptible(i)) {
      second.push(i);
      continue;
    }
    const gpus = jobs.gpus(i);
    const type = shares.fitsNominalAfter(inst, gpus, inst.tierPlanned, shape.candidates);
    if (type === null) {
      inst.tierClosed = true;
      second.push(i);
    } else {
      inst.tierPlanned.set(type, (inst.tierPlanned.get(type) ?? 0) + gpus);
      out[first++] = i;
    }
  }
  out.set(second, first);
  return { order: out, tier0: first };
}
