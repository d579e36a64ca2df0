/**
 * Cancelled in the store, still running on a cluster? The job service records a cancel first and then asks
 * the cluster to stop the job; that call can fail, or race a dispatch that was already under way. Each
 * cycle the leader looks at jobs cancelled recently that had been handed to a cluster, cancels again any
 * the cluster still runs (cancel is idempotent), and charges the run up to the cancel. A job whose cluster
 * confirms it is stopped is settled and not asked about again by this controller.
 */
import { cancelledOnClustersSince } from '../store/repositories/control-jobs.js';
import { forEachBounded, groupBy, withTimeout } from './bounded.js';
import { assertActive, isFatal, type ControlContext } from './context.js';
import type { GridView } from './grid-view.js';
import { usageClaim } from './reconcile.js';
import { recordUsage } from './usage-recorder.js';

/** What a recheck did. */
export interface CancelRecheck {
  /** Jobs the cluster still ran and was told again to cancel. */
  recancelled: string[];
  /** Jobs confirmed stopped this time. */
  settled: number;
}

/** Recheck recently cancelled jobs; `settled` remembers confirmed ones across cycles. */
export async function recheckCancelled(ctx: ControlContext, grid: GridView, settled: Set<string>): Promise<CancelRecheck> {
  const now = ctx.now();
  const jobs = (await cancelledOnClustersSince(ctx.db, now - ctx.tuning.cancelLookbackSeconds * 1000)).filter((j) => !settled.has(j.id));
  const out: CancelRecheck = { recancelled: [], settled: 0 };
  if (jobs.length === 0) return out;
  const claims = jobs.filter((j) => j.startedAt !== undefined && j.endedAt !== undefined).map((j) => usageClaim(j, grid, j.startedAt!, j.endedAt!, 0));
  assertActive(ctx);
  await recordUsage(ctx.db, claims, now, ctx.policy.halfLifeSeconds);
  for (const [clusterId, list] of groupBy(jobs, (j) => j.clusterId!)) {
    const adapter = ctx.adapters.get(clusterId);
    if (!adapter) continue;
    try {
      const statuses = await withTimeout(adapter.status(list.map((j) => j.dispatchKey!)), ctx.tuning.adapterTimeoutMs, `status of ${clusterId} timed out`);
      const live = new Set(statuses.filter((s) => s.state === 'running' || s.state === 'pending').map((s) => s.idempotencyKey));
      const stillRunning = list.filter((j) => live.has(j.dispatchKey!));
      await forEachBounded(stillRunning, ctx.tuning.dispatchConcurrency, async (j) => {
        assertActive(ctx);
        await withTimeout(adapter.cancel(j.dispatchKey!), ctx.tuning.adapterTimeoutMs, `cancel on ${clusterId} timed out`);
        out.recancelled.push(j.id);
      });
      for (const j of list) {
        if (live.has(j.dispatchKey!)) continue;
        settled.add(j.id);
        out.settled++;
      }
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.log.warn({ clusterId, err: (err as Error).message }, 'cannot recheck cancelled jobs on cluster; will retry next cycle');
    }
  }
  if (out.recancelled.length > 0) ctx.log.info({ jobs: out.recancelled }, 'cancelled jobs were still running on their cluster; cancelled them again');
  return out;
}
