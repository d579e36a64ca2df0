/**
 * Preemption (DESIGN §5.7), persist then act: the victims are first marked in the store (reason
 * `preempting`, with the job they make room for), then their clusters are told to cancel them. Once a
 * cluster confirms a victim stopped, reconcile moves it `running → preempted → queued` and charges its run.
 * A victim whose cancel failed, or whose controller died after marking it, stays marked and is cancelled
 * again by the next cycle (cancel is idempotent). The beneficiary stays pending this cycle and is placed by
 * a later one, once the victims' GPUs show as free.
 */
import type { PreemptDecision } from '../scheduler/types.js';
import { jobsByIds, markPreempting } from '../store/repositories/control-jobs.js';
import type { JobRecord } from '../store/repositories/jobs.js';
import { forEachBounded, withTimeout } from './bounded.js';
import { assertActive, isFatal, type ControlContext } from './context.js';
import type { GridView } from './grid-view.js';
import { reconcileJobs } from './reconcile.js';

/** Mark the victims of this cycle; returns the ids marked (those still running). */
export async function persistPreemptions(ctx: ControlContext, decisions: readonly PreemptDecision[], now: number): Promise<Set<string>> {
  if (decisions.length === 0) return new Set();
  assertActive(ctx);
  return markPreempting(ctx.db, decisions.map((d) => ({ jobId: d.jobId, forJobId: d.forJobId })), now);
}

/** What cancelling the victims came to. */
export interface PreemptOutcome {
  /** Cancel calls the clusters accepted. */
  cancelled: number;
  /** Victims confirmed stopped and requeued. */
  requeued: number;
}

/** Cancel the marked victims on their clusters and requeue those confirmed stopped. */
export async function cancelVictims(ctx: ControlContext, jobIds: readonly string[], grid: GridView): Promise<PreemptOutcome> {
  const out: PreemptOutcome = { cancelled: 0, requeued: 0 };
  if (jobIds.length === 0) return out;
  const victims = (await jobsByIds(ctx.db, jobIds)).filter((j) => j.state === 'running' && j.reason === 'preempting');
  const asked: JobRecord[] = [];
  await forEachBounded(victims, ctx.tuning.dispatchConcurrency, async (job) => {
    assertActive(ctx);
    const adapter = job.clusterId !== undefined ? ctx.adapters.get(job.clusterId) : undefined;
    if (!adapter || job.dispatchKey === undefined) return;
    try {
      await withTimeout(adapter.cancel(job.dispatchKey), ctx.tuning.adapterTimeoutMs, `cancel on ${job.clusterId} timed out`);
      asked.push(job);
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.log.warn({ jobId: job.id, clusterId: job.clusterId, err: (err as Error).message }, 'cannot cancel a preempted job; will retry next cycle');
    }
  });
  out.cancelled = asked.length;
  const rec = await reconcileJobs(ctx, asked, grid);
  out.requeued = rec.requeued;
  return out;
}
