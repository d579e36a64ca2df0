/**
 * The act half of dispatch: submit each persisted dispatch to its cluster (bounded concurrency), then
 * record what the clusters answered.
 *
 * - accepted → the backend id is recorded; the job stays `dispatching` until its cluster reports it
 *   running (a status read right after the submits usually does, in the same cycle);
 * - `ClusterRefusedError` → `dispatching → queued` with the refusal as reason; the cluster is backed off;
 * - `ClusterUnavailableError` (or any other failure) → the submit may or may not have landed, so the key is
 *   looked up with `find`: found → adopted; not found → requeued; no answer → left `dispatching` for
 *   reconcile to resolve once the cluster answers. The cluster is backed off.
 * - a job cancelled by its user while it was being submitted is cancelled on the cluster at once.
 */
import { ClusterRefusedError, type SubmitRequest } from '../adapters/port.js';
import { jobsByIds, recordExternalIds } from '../store/repositories/control-jobs.js';
import type { Transition } from '../store/repositories/jobs.js';
import { transitionJobsBulk } from '../store/repositories/job-transitions-bulk.js';
import { forEachBounded, withTimeout } from './bounded.js';
import { assertActive, isFatal, type ControlContext } from './context.js';
import type { PersistedDispatch } from './dispatch.js';
import type { GridView } from './grid-view.js';
import { reconcileJobs } from './reconcile.js';
import { requeue } from './status-mapping.js';

/** What the submits came to. */
export interface SubmitOutcome {
  accepted: number;
  refused: number;
  /** Submits whose outcome was unknown (cluster unavailable); resolved by find now or by reconcile later. */
  uncertain: number;
  /** Jobs requeued by refusals or by a find that did not know the key. */
  requeued: number;
  /** Jobs now running (status read after the submits). */
  running: number;
  /** Failed submits per cluster and kind (refused, or unanswered = unavailable), for ncg_dispatch_errors_total. */
  failures: DispatchFailure[];
}

/** Dispatches one cluster refused or did not answer in one cycle. */
export interface DispatchFailure {
  clusterId: string;
  kind: 'refused' | 'unavailable';
  count: number;
}

/** Count one failure into `list` (a handful of clusters at most, so a scan is fine). */
function countFailure(list: DispatchFailure[], clusterId: string, kind: DispatchFailure['kind']): void {
  const f = list.find((x) => x.clusterId === clusterId && x.kind === kind);
  if (f) f.count++;
  else list.push({ clusterId, kind, count: 1 });
}

/** Submit every persisted dispatch and record the answers. */
export async function submitDispatches(ctx: ControlContext, dispatches: readonly PersistedDispatch[], grid: GridView, cycle: number): Promise<SubmitOutcome> {
  const out: SubmitOutcome = { accepted: 0, refused: 0, uncertain: 0, requeued: 0, running: 0, failures: [] };
  const acked: { jobId: string; dispatchKey: string; externalId: string }[] = [];
  const refusals: Transition[] = [];
  const uncertain: PersistedDispatch[] = [];
  await forEachBounded(dispatches, ctx.tuning.dispatchConcurrency, async (d) => {
    assertActive(ctx);
    const adapter = ctx.adapters.get(d.decision.clusterId);
    try {
      if (!adapter) throw new ClusterRefusedError(`no adapter for cluster ${d.decision.clusterId}`);
      const result = await adapter.submit(submitRequest(d));
      ctx.health.success(d.decision.clusterId);
      await ctx.crash.hit('afterDispatchBeforeRecord', { cycle, jobIds: [d.job.id], dispatchKey: d.dispatchKey });
      acked.push({ jobId: d.job.id, dispatchKey: d.dispatchKey, externalId: result.externalId });
    } catch (err) {
      if (isFatal(err)) throw err;
      const message = (err as Error).message;
      ctx.health.failure(d.decision.clusterId, ctx.now(), message);
      countFailure(out.failures, d.decision.clusterId, err instanceof ClusterRefusedError ? 'refused' : 'unavailable');
      if (err instanceof ClusterRefusedError) {
        refusals.push(requeue(d.job, ['dispatching'], ctx.now(), 'refused', `cluster ${d.decision.clusterId} refused the job: ${message}`, { clusterId: d.decision.clusterId }));
      } else {
        uncertain.push(d);
      }
      ctx.log.warn({ jobId: d.job.id, clusterId: d.decision.clusterId, dispatchKey: d.dispatchKey, err: message }, 'dispatch failed');
    }
  });
  assertActive(ctx);
  const recorded = await recordExternalIds(ctx.db, acked);
  const requeued = await transitionJobsBulk(ctx.db, refusals);
  out.accepted = acked.length;
  out.refused = refusals.length;
  out.uncertain = uncertain.length;
  out.requeued = requeued.size;
  await cancelIfCancelledMeanwhile(ctx, acked.filter((a) => !recorded.has(a.jobId)).map((a) => a.jobId));
  // Read back the accepted and the uncertain: running jobs become `running`; uncertain ones are found
  // (adopted) or, if the cluster answers that it never got them, requeued under a new key next cycle.
  const follow = await jobsByIds(ctx.db, [...recorded, ...uncertain.map((u) => u.job.id)]);
  const rec = await reconcileJobs(ctx, follow.filter((j) => j.state === 'dispatching'), grid);
  out.requeued += rec.requeued;
  out.running = follow.filter((j) => rec.moved.has(j.id)).length - rec.requeued;
  return out;
}

/** The adapter's view of a dispatch. */
function submitRequest(d: PersistedDispatch): SubmitRequest {
  return {
    idempotencyKey: d.dispatchKey,
    jobId: d.job.id,
    institutionId: d.job.institutionId,
    projectId: d.job.projectId,
    userId: d.job.userId,
    spec: d.job.spec,
    poolName: d.pool.name,
    nodeNames: d.decision.nodeNames,
  };
}

/** Jobs accepted by a cluster but no longer dispatching in the store: if the user cancelled them, stop them. */
async function cancelIfCancelledMeanwhile(ctx: ControlContext, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const jobs = (await jobsByIds(ctx.db, jobIds)).filter((j) => j.state === 'cancelled' && j.clusterId !== undefined && j.dispatchKey !== undefined);
  await forEachBounded(jobs, ctx.tuning.dispatchConcurrency, async (j) => {
    const adapter = ctx.adapters.get(j.clusterId!);
    if (!adapter) return;
    try {
      await withTimeout(adapter.cancel(j.dispatchKey!), ctx.tuning.adapterTimeoutMs, `cancel on ${j.clusterId} timed out`);
    } catch (err) {
      // The cancelled-job recheck of the next cycles tries again.
      ctx.log.warn({ jobId: j.id, err: (err as Error).message }, 'cannot cancel a job cancelled during its dispatch');
    }
  });
}
