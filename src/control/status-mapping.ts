/**
 * Reconcile rules (pure): what a cluster's view of a job means for the job in the store.
 *
 * | store        | cluster says                  | store becomes                                            |
 * |--------------|-------------------------------|----------------------------------------------------------|
 * | dispatching  | pending                       | unchanged (backend id recorded)                          |
 * | dispatching  | running                       | running (startedAt from the cluster)                     |
 * | dispatching  | succeeded / failed / cancelled| running, then that end (both events)                     |
 * | dispatching  | preempted                     | running → preempted → queued if it started, else queued  |
 * | dispatching  | lost, or unknown (after find) | queued: it never started, a new attempt key next time    |
 * | running      | succeeded                     | succeeded (endedAt, exit code)                           |
 * | running      | failed                        | failed (exit code, reason: timeout, nonzero_exit, …)     |
 * | running      | cancelled                     | preempted → queued if we were preempting it, else cancelled |
 * | running      | preempted                     | preempted → queued                                       |
 * | running      | lost, or unknown (after find) | failed, reason `lost`                                    |
 *
 * Every transition is conditional on the state the rule started from, so a user's cancel that lands in
 * between wins and the rule is simply not applied.
 */
import type { ExternalJobStatus } from '../adapters/port.js';
import type { JobRecord, JobPatch, Transition } from '../store/repositories/jobs.js';

/** Columns cleared when a job goes back to the queue. The dispatch key stays: the next attempt counts on from it. */
export const REQUEUE_PATCH: JobPatch = {
  clusterId: null, poolId: null, nodeNames: null, startedAt: null, endedAt: null, externalId: null, exitCode: null, borrowed: false,
};

/** What to do about one job after looking at its cluster's view. */
export interface StatusOutcome {
  transitions: Transition[];
  /** The run stopped: charge it up to this instant (from `startedAt`). */
  usageEnd?: number;
  startedAt?: number;
  /** A backend id to record without a state change (job still pending on the cluster). */
  externalId?: string;
}

/** A job back to the queue from `from`, with a reason for the event and for the job API. */
export function requeue(job: Pick<JobRecord, 'id'>, from: JobRecord['state'][], at: number, reason: string, message: string, data: Record<string, unknown> = {}): Transition {
  return { jobId: job.id, from, to: 'queued', at, reason, data: { message, ...data }, patch: { ...REQUEUE_PATCH, reason, reasonData: { message, ...data } } };
}

/** Map a cluster status (undefined: the cluster does not know the key, even by `find`) to store changes. */
export function mapStatus(job: JobRecord, s: ExternalJobStatus | undefined, now: number): StatusOutcome {
  const out: StatusOutcome = { transitions: [] };
  const cluster = job.clusterId ?? '?';
  if (job.state === 'dispatching') {
    if (!s || s.state === 'lost') {
      const why = !s ? 'not_found' : 'lost';
      const message = !s ? `cluster ${cluster} never received dispatch ${job.dispatchKey}; requeued` : `cluster ${cluster} lost dispatch ${job.dispatchKey} before it started; requeued`;
      out.transitions.push(requeue(job, ['dispatching'], now, why, message, { clusterId: cluster, dispatchKey: job.dispatchKey }));
      return out;
    }
    if (s.state === 'pending') {
      if (job.externalId !== s.externalId) out.externalId = s.externalId;
      return out;
    }
    if (s.state === 'preempted' && s.startedAt === undefined) {
      out.transitions.push(requeue(job, ['dispatching'], now, 'preempted', `preempted by cluster ${cluster} before it started; requeued`));
      return out;
    }
    const startedAt = s.startedAt ?? Math.min(now, s.endedAt ?? now);
    out.transitions.push({
      jobId: job.id, from: ['dispatching'], to: 'running', at: startedAt, reason: 'started',
      patch: compactPatch({ startedAt, externalId: s.externalId, nodeNames: s.nodeNames, reason: null, reasonData: null }),
      data: { clusterId: cluster, externalId: s.externalId },
    });
    if (s.state === 'running') return out;
    return ended(job, s, startedAt, now, out);
  }
  if (job.state !== 'running') return out;
  const startedAt = job.startedAt ?? now;
  if (!s || s.state === 'lost') {
    out.transitions.push({
      jobId: job.id, from: ['running'], to: 'failed', at: now, reason: 'lost',
      patch: { endedAt: Math.max(now, startedAt), reason: 'lost', reasonData: { message: `cluster ${cluster} no longer knows this job` } },
    });
    return { ...out, usageEnd: Math.max(now, startedAt), startedAt };
  }
  if (s.state === 'pending' || s.state === 'running') {
    if (job.externalId !== s.externalId) out.externalId = s.externalId;
    return out;
  }
  return ended(job, s, startedAt, now, out);
}

/** A run that has stopped on the cluster: succeeded, failed, cancelled or preempted. */
function ended(job: JobRecord, s: ExternalJobStatus, startedAt: number, now: number, out: StatusOutcome): StatusOutcome {
  const endedAt = Math.max(startedAt, s.endedAt ?? now);
  const cluster = job.clusterId ?? '?';
  out.usageEnd = endedAt;
  out.startedAt = startedAt;
  const preempting = job.reason === 'preempting';
  if (s.state === 'preempted' || (s.state === 'cancelled' && preempting)) {
    const forJobId = preempting ? job.reasonData?.['forJobId'] : undefined;
    const data = forJobId !== undefined ? { forJobId } : {};
    out.transitions.push({ jobId: job.id, from: ['running'], to: 'preempted', at: endedAt, reason: 'preempted', data, patch: { endedAt } });
    const requeued = requeue(job, ['preempted'], endedAt, 'requeued', `preempted on cluster ${cluster} to give its GPUs back; requeued`, data);
    // The scheduler keeps a just-preempted job off lent GPUs for a while (reclaim cooldown): remember when.
    requeued.patch = { ...requeued.patch, preemptedAt: endedAt };
    out.transitions.push(requeued);
    return out;
  }
  if (s.state === 'succeeded') {
    out.transitions.push({ jobId: job.id, from: ['running'], to: 'succeeded', at: endedAt, reason: 'succeeded', patch: compactPatch({ endedAt, exitCode: s.exitCode ?? 0, reason: null, reasonData: null }) });
  } else if (s.state === 'failed') {
    const reason = s.reason ?? 'failed';
    out.transitions.push({
      jobId: job.id, from: ['running'], to: 'failed', at: endedAt, reason,
      patch: compactPatch({ endedAt, exitCode: s.exitCode ?? null, reason, reasonData: { message: `failed on cluster ${cluster}: ${reason}${s.exitCode !== undefined ? ` (exit code ${s.exitCode})` : ''}` } }),
    });
  } else if (s.state === 'cancelled') {
    out.transitions.push({
      jobId: job.id, from: ['running'], to: 'cancelled', at: endedAt, reason: 'cancelled_on_cluster',
      patch: { endedAt, reason: 'cancelled_on_cluster', reasonData: { message: `cancelled on cluster ${cluster}, not through ncg` } },
    });
  }
  return out;
}

/** Drop undefined fields (a patch field left undefined means "leave the column alone"). */
function compactPatch(p: JobPatch): JobPatch {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as JobPatch;
}
