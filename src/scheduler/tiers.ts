/**
 * Guaranteed work first (the reclaim-aware order). When reclaim is on, the queue is walked in two tiers,
 * each in scheduling order: first every job that fits in its institution's nominal share, then every job
 * that would borrow. This is how Kueue admits workloads that need no borrowing before those that do, and
 * for the same reason: otherwise GPUs that look idle in this cycle are lent to work that reclaim preempts in
 * the next, for a within-share job that was merely further down the queue.
 *
 * Tiers are per institution prefixes: walking the priority order, an institution's jobs are tier 0 while
 * they fit in its nominal share (counting what the walk has admitted so far); its first job that would
 * borrow, and every later one, is tier 1. So an institution's own jobs never overtake each other — a big job that
 * exceeds the institution's share is not starved by that institution's own stream of small jobs — and
 * `preemptible` jobs (always borrowed) are tier 1 without closing the prefix.
 *
 * Cross-institution consequence (by design): a job larger than what its institution is owed runs only on
 * capacity nobody within their share is waiting for.
 */
import type { CycleState } from './cycle-state.js';

/**
 * Is job `i` walked in the first pass (tier 0)? Decided as the walk reaches it, from live counts: jobs with
 * a static verdict are decided at once (their order does not matter); preemptible jobs wait for the second
 * pass; a job that would borrow closes its institution's prefix, so that institution's later jobs also
 * wait and never overtake it.
 */
export function inFirstPass(st: CycleState, i: number): boolean {
  const { jobs, shares } = st;
  const shape = jobs.shape(i);
  if (shape.verdict) return true;
  if (jobs.preemptible(i)) return false;
  const inst = jobs.inst(i);
  if (inst.tierClosed) return false;
  if (shares.wouldBorrowAnywhere(inst, jobs.gpus(i), shape.candidates)) {
    inst.tierClosed = true;
    return false;
  }
  return true;
}
