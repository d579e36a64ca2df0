/**
 * Jobs as `ncg.v1` messages (proto/ncg/v1/job.proto): the same content REST shows (present-job.ts), with
 * times as epoch milliseconds (`*_ms`), states and QoS as enum names, and none of the control loop's
 * bookkeeping (dispatch keys, idempotency keys, backend ids).
 */
import type { JobEvent, JobRecord } from '../../store/repositories/jobs.js';
import type { PendingInfo } from '../../services/pending-info.js';
import type { JobState, Qos } from '../../domain/types.js';

type Message = Record<string, unknown>;

/** `running` → `JOB_STATE_RUNNING`. */
export function stateEnum(state: JobState): string {
  return `JOB_STATE_${state.toUpperCase()}`;
}

/** `JOB_STATE_RUNNING` → `running`; anything else as text, for the service to refuse by name. */
export function stateFromEnum(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('JOB_STATE_')) return value.slice('JOB_STATE_'.length).toLowerCase();
  return String(value);
}

function qosEnum(qos: Qos): string {
  return `QOS_${qos.toUpperCase()}`;
}

function specMessage(job: JobRecord): Message {
  const s = job.spec;
  const spec: Message = {
    gpu_types: s.gpuTypes,
    nodes: s.nodes,
    gpus_per_node: s.gpusPerNode,
    cpus_per_node: s.cpusPerNode,
    memory_gb_per_node: s.memoryGbPerNode,
    walltime_seconds: s.walltimeSeconds,
    qos: qosEnum(s.qos),
  };
  if (s.preferredSiteId) spec.preferred_site = s.preferredSiteId;
  if (s.image) spec.image = s.image;
  if (s.command) spec.command = s.command;
  if (s.script) spec.script = s.script;
  if (s.env) spec.env = s.env;
  if (s.sim) {
    const { durationSeconds, exitCode, gpuUtilPct } = s.sim;
    spec.sim = { duration_seconds: durationSeconds, ...(exitCode !== undefined ? { exit_code: exitCode } : {}), ...(gpuUtilPct !== undefined ? { gpu_util_pct: gpuUtilPct } : {}) };
  }
  return spec;
}

/** The Pending message of a waiting job. */
export function pendingMessage(p: PendingInfo): Message {
  const m: Message = { reason: p.reason, message: p.message, seen_by_cycle: p.seenByCycle };
  if (p.position !== undefined) m.position = p.position;
  if (p.estimatedStart !== undefined) m.estimated_start_ms = Math.round(p.estimatedStart);
  if (p.priority !== undefined) m.priority = p.priority;
  if (p.factors) m.factors = p.factors;
  return m;
}

/** One JobEvent message. */
export function eventMessage(e: JobEvent): Message {
  const m: Message = { id: e.id, to: stateEnum(e.to), at_ms: e.at, data_json: JSON.stringify(e.data ?? {}) };
  if (e.from) m.from = stateEnum(e.from);
  if (e.reason) m.reason = e.reason;
  return m;
}

/** A Job message, with its pending explanation and events when given. */
export function jobMessage(job: JobRecord, extra: { pending?: PendingInfo; events?: JobEvent[] } = {}): Message {
  const m: Message = {
    id: job.id,
    name: job.spec.name,
    state: stateEnum(job.state),
    institution: job.institutionId,
    project: job.projectId,
    user: job.userId,
    spec: specMessage(job),
    submitted_at_ms: job.submittedAt,
    borrowed: job.borrowed ?? false,
  };
  if (job.startedAt !== undefined) m.started_at_ms = job.startedAt;
  if (job.endedAt !== undefined) m.ended_at_ms = job.endedAt;
  if (job.clusterId) m.cluster = job.clusterId;
  if (job.poolId) m.pool = job.poolId;
  if (job.nodeNames) m.node_names = job.nodeNames;
  if (job.exitCode !== undefined) m.exit_code = job.exitCode;
  if (job.reason) m.reason = job.reason;
  if (extra.pending) m.pending = pendingMessage(extra.pending);
  if (extra.events) m.events = extra.events.map(eventMessage);
  return m;
}
