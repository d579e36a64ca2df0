/**
 * Jobs as the REST API shows them (src/api/schemas/job-view.ts): RFC 3339 times instead of epoch
 * milliseconds, ids without the `Id` suffixes of the domain, and none of the control loop's bookkeeping
 * (dispatch keys, idempotency keys, backend ids).
 */
import type { JobEvent, JobRecord } from '../../store/repositories/jobs.js';
import type { PendingInfo } from '../../services/pending-info.js';
import type { JobView, PendingView, QueueView } from '../schemas/job-view.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The pending explanation with times as text. */
export function presentPending(p: PendingInfo): PendingView {
  const v: PendingView = { reason: p.reason, message: p.message, seenByCycle: p.seenByCycle };
  if (p.position !== undefined) v.position = p.position;
  if (p.estimatedStart !== undefined) v.estimatedStart = iso(p.estimatedStart);
  if (p.priority !== undefined) v.priority = p.priority;
  if (p.factors) v.factors = p.factors;
  return v;
}

function presentSpec(job: JobRecord): JobView['spec'] {
  const { projectId: _project, name: _name, preferredSiteId, ...rest } = job.spec;
  return preferredSiteId === undefined ? rest : { ...rest, preferredSite: preferredSiteId };
}

function presentEvent(e: JobEvent): NonNullable<JobView['events']>[number] {
  const v: NonNullable<JobView['events']>[number] = { id: e.id, to: e.to, at: iso(e.at), data: e.data };
  if (e.from) v.from = e.from;
  if (e.reason) v.reason = e.reason;
  return v;
}

/** A job, with its pending explanation and events when given. */
export function presentJob(job: JobRecord, extra: { pending?: PendingInfo; events?: JobEvent[] } = {}): JobView {
  const v: JobView = {
    id: job.id,
    name: job.spec.name,
    state: job.state,
    institution: job.institutionId,
    project: job.projectId,
    user: job.userId,
    spec: presentSpec(job),
    submittedAt: iso(job.submittedAt),
    borrowed: job.borrowed ?? false,
  };
  if (job.startedAt !== undefined) v.startedAt = iso(job.startedAt);
  if (job.endedAt !== undefined) v.endedAt = iso(job.endedAt);
  if (job.clusterId) v.cluster = job.clusterId;
  if (job.poolId) v.pool = job.poolId;
  if (job.nodeNames) v.nodeNames = job.nodeNames;
  if (job.exitCode !== undefined) v.exitCode = job.exitCode;
  if (job.reason) v.reason = job.reason;
  if (extra.pending) v.pending = presentPending(extra.pending);
  if (extra.events) v.events = extra.events.map(presentEvent);
  return v;
}

/** The queue. */
export function presentQueue(q: { items: { job: JobRecord; pending: PendingInfo }[]; total: number }): QueueView {
  return {
    total: q.total,
    items: q.items.map(({ job, pending }) => ({
      id: job.id,
      name: job.spec.name,
      state: job.state,
      institution: job.institutionId,
      project: job.projectId,
      user: job.userId,
      qos: job.spec.qos,
      gpuTypes: job.spec.gpuTypes,
      nodes: job.spec.nodes,
      gpusPerNode: job.spec.gpusPerNode,
      submittedAt: iso(job.submittedAt),
      pending: presentPending(pending),
    })),
  };
}
