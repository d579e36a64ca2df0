/**
 * Cancelling a job, idempotently and without racing the control loop. The move to `cancelled` is a
 * conditional transition from the state we just read: if the loop moved the job first (dispatched it, or
 * it finished), we read it again and decide again. A job that was on a cluster (dispatching or running) is
 * persisted as cancelled first, then `cancelOnCluster` is asked to stop it there; if that call fails or
 * is slow, the request still succeeds — reconcile sees a cancelled job still running and retries.
 */
import { DomainError } from '../domain/errors.js';
import { FINAL_JOB_STATES } from '../domain/types.js';
import { getJob, transitionJobs, type JobRecord } from '../store/repositories/jobs.js';
import type { Db } from '../store/rows.js';
import type { Principal } from '../domain/principal.js';
import { recordAudit } from './audit.js';

/** The control loop's side of a cancellation. */
export interface CancelHooks {
  /** Stop a job on its cluster; called after it is persisted as cancelled. Failures are logged, not surfaced. */
  cancelOnCluster?: (job: JobRecord) => Promise<void>;
}

/** The job after a cancel, and whether this call changed it. */
export interface CancelResult {
  job: JobRecord;
  changed: boolean;
}

/** How long a cancel request waits for the cluster before answering anyway. */
const CLUSTER_WAIT_MS = 2_000;
/** Attempts before giving up on a job that keeps changing state under us. */
const MAX_ATTEMPTS = 5;

/** The cancellation procedure. */
export class CancelFlow {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly hooks: CancelHooks,
    private readonly log?: { warn(obj: object, msg: string): void },
  ) {}

  /** Cancel `job` (as read just now) on behalf of `by`; the cancel and its audit row commit together. */
  async cancel(job: JobRecord, by: Principal): Promise<CancelResult> {
    const byUserId = by.userId;
    let current = job;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (FINAL_JOB_STATES.includes(current.state)) return { job: current, changed: false };
      const wasOnCluster = current.state === 'dispatching' || current.state === 'running';
      const at = this.now();
      const moved = await transitionJobs(this.db, [
        {
          jobId: current.id,
          from: [current.state],
          to: 'cancelled',
          at,
          // ended_at may not precede started_at (a table check); clocks of replicas can disagree slightly.
          patch: { endedAt: Math.max(at, current.startedAt ?? at), reason: 'cancelled', reasonData: { by: byUserId } },
          reason: 'cancelled',
          data: { by: byUserId, from: current.state },
        },
      ], async (tx, moved) => {
        if (!moved.has(current.id)) return;
        await recordAudit(tx, by, { action: 'job.cancel', target: { kind: 'job', id: current.id }, institutionId: current.institutionId, before: { state: current.state }, after: { state: 'cancelled' } });
      });
      const after = await getJob(this.db, current.id);
      if (moved.has(current.id)) {
        if (wasOnCluster) await this.cancelOnCluster(after);
        return { job: after, changed: true };
      }
      current = after; // someone else moved it first; look again
    }
    throw new DomainError('unavailable', `job ${job.id} kept changing state while being cancelled; retry the request`, { jobId: job.id });
  }

  /** Ask the cluster to stop the job, waiting at most CLUSTER_WAIT_MS; never throws. */
  private async cancelOnCluster(job: JobRecord): Promise<void> {
    const hook = this.hooks.cancelOnCluster;
    if (!hook) return;
    const call = Promise.resolve()
      .then(() => hook(job))
      .catch((err: unknown) => this.log?.warn({ err, jobId: job.id, clusterId: job.clusterId }, 'cancel on cluster failed; reconcile will retry'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLUSTER_WAIT_MS);
      timer.unref();
    });
    await Promise.race([call, timeout]);
    clearTimeout(timer);
  }
}
