/**
 * Reconcile: ask each cluster about the jobs the store says it has (`dispatching`, `running`), turn its
 * answers into transitions with status-mapping.ts, and charge the runs that stopped. A dispatching job the
 * cluster's status does not mention is looked up by its idempotency key with `find` before it is requeued,
 * so a job whose submit landed but whose answer was lost is adopted, never submitted again. A cluster that
 * does not answer is skipped: its jobs keep their state until it does.
 */
import type { ClusterAdapter, ExternalJobStatus } from '../adapters/port.js';
import type { JobRecord, Transition } from '../store/repositories/jobs.js';
import { transitionJobsBulk } from '../store/repositories/job-transitions-bulk.js';
import { recordExternalIds } from '../store/repositories/control-jobs.js';
import { chunks } from '../store/rows.js';
import { forEachBounded, groupBy, withTimeout } from './bounded.js';
import { assertActive, type ControlContext } from './context.js';
import type { GridView } from './grid-view.js';
import { mapStatus } from './status-mapping.js';
import { recordUsage, type UsageClaim } from './usage-recorder.js';

/** What one reconcile pass changed. */
export interface ReconcileResult {
  /** Jobs that changed state. */
  moved: Set<string>;
  /** Jobs that reached succeeded, failed or cancelled. */
  finished: number;
  /** Jobs put back in the queue (preempted, lost before start, never received). */
  requeued: number;
  /** Running jobs marked `preempting` that their cluster still runs: cancel again. */
  stillPreempting: JobRecord[];
  /** Clusters whose status could not be read. */
  unreachable: string[];
  /** Jobs their cluster reported running in this pass: only these may be charged up to now. */
  confirmedRunning: Set<string>;
}

/** Reconcile `jobs` (dispatching or running, each with a cluster and a dispatch key) with their clusters. */
export async function reconcileJobs(ctx: ControlContext, jobs: readonly JobRecord[], grid: GridView): Promise<ReconcileResult> {
  const result: ReconcileResult = { moved: new Set(), finished: 0, requeued: 0, stillPreempting: [], unreachable: [], confirmedRunning: new Set() };
  const now = ctx.now();
  const transitions: Transition[] = [];
  const external: { jobId: string; dispatchKey: string; externalId: string }[] = [];
  const ended = new Map<string, { job: JobRecord; startedAt: number; end: number }>();
  const tracked = jobs.filter((j) => j.clusterId !== undefined && j.dispatchKey !== undefined && (j.state === 'dispatching' || j.state === 'running'));
  await Promise.all(
    [...groupBy(tracked, (j) => j.clusterId!)].map(async ([clusterId, list]) => {
      const adapter = ctx.adapters.get(clusterId);
      if (!adapter) return;
      const statuses = await readStatuses(ctx, adapter, list);
      if (!statuses) return void result.unreachable.push(clusterId);
      for (const job of list) {
        const s = statuses.get(job.dispatchKey!);
        const outcome = mapStatus(job, s, now);
        transitions.push(...outcome.transitions);
        if (outcome.externalId !== undefined && job.state === 'dispatching') external.push({ jobId: job.id, dispatchKey: job.dispatchKey!, externalId: outcome.externalId });
        if (outcome.usageEnd !== undefined) ended.set(job.id, { job, startedAt: outcome.startedAt ?? outcome.usageEnd, end: outcome.usageEnd });
        if (s?.state === 'running') result.confirmedRunning.add(job.id);
        if (job.state === 'running' && job.reason === 'preempting' && (s?.state === 'running' || s?.state === 'pending')) result.stillPreempting.push(job);
      }
    }),
  );
  assertActive(ctx);
  const moved = await transitionJobsBulk(ctx.db, transitions);
  if (external.length > 0) await recordExternalIds(ctx.db, external);
  for (const t of transitions) {
    if (!moved.has(t.jobId)) continue;
    result.moved.add(t.jobId);
    if (t.to === 'succeeded' || t.to === 'failed' || t.to === 'cancelled') result.finished++;
    if (t.to === 'queued') result.requeued++;
  }
  const claims = [...ended.values()].filter((e) => moved.has(e.job.id)).map((e) => usageClaim(e.job, grid, e.startedAt, e.end, 0));
  await recordUsage(ctx.db, claims, now, ctx.policy.halfLifeSeconds);
  return result;
}

/**
 * Statuses by key: `status()` for all, then `find()` for jobs it did not mention (for a dispatching job,
 * the crash window between persist and acknowledgement). Undefined when the cluster did not answer.
 */
async function readStatuses(ctx: ControlContext, adapter: ClusterAdapter, jobs: readonly JobRecord[]): Promise<Map<string, ExternalJobStatus> | undefined> {
  const byKey = new Map<string, ExternalJobStatus>();
  try {
    for (const part of chunks(jobs, 500)) {
      const keys = part.map((j) => j.dispatchKey!);
      for (const s of await withTimeout(adapter.status(keys), ctx.tuning.adapterTimeoutMs, `status of ${adapter.clusterId} timed out`)) byKey.set(s.idempotencyKey, s);
    }
    // Status may list only what the backend is tracking now; ask by key before calling a job unknown.
    const missing = jobs.filter((j) => !byKey.has(j.dispatchKey!));
    await forEachBounded(missing, ctx.tuning.dispatchConcurrency, async (j) => {
      const found = await withTimeout(adapter.find(j.dispatchKey!), ctx.tuning.adapterTimeoutMs, `find on ${adapter.clusterId} timed out`);
      if (found) byKey.set(found.idempotencyKey, found);
    });
    return byKey;
  } catch (err) {
    ctx.log.warn({ clusterId: adapter.clusterId, err: (err as Error).message }, 'cannot read job status from cluster; its jobs keep their state');
    return undefined;
  }
}

/** A usage claim for a job's run on its pool. */
export function usageClaim(job: JobRecord, grid: GridView, startedAt: number, end: number, minWindowMs: number): UsageClaim {
  const pool = job.poolId !== undefined ? grid.poolsById.get(job.poolId) : undefined;
  return {
    jobId: job.id, institutionId: job.institutionId, projectId: job.projectId, userId: job.userId,
    clusterId: job.clusterId!, gpuType: pool?.gpuType ?? job.spec.gpuTypes[0] ?? 'unknown',
    gpus: job.spec.nodes * job.spec.gpusPerNode, startedAt, end, minWindowMs,
  };
}
