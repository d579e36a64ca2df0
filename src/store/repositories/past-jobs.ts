/**
 * Writing finished jobs of the past in bulk — the embedded demo's history (src/demo/history.ts): the jobs,
 * their state events (queued → dispatching → running → final) and their ledger charges, in one transaction,
 * and the grid's clusters and pools dated back to when that history begins (capacity in a period counts
 * only what was registered by then).
 */
import { sql } from 'kysely';
import { chunks, date, json, type Db } from '../rows.js';

/** A finished job to record as it happened. */
export interface PastJob {
  id: string;
  institutionId: string;
  projectId: string;
  userId: string;
  name: string;
  gpuTypes: string[];
  nodes: number;
  gpusPerNode: number;
  walltimeSeconds: number;
  submittedAt: number;
  startedAt: number;
  endedAt: number;
  clusterId: string;
  poolId: string;
  gpuType: string;
  state: 'succeeded' | 'failed' | 'cancelled';
  exitCode?: number;
}

/** GPU-seconds a past job used in one window (a ledger charge from allocation). */
export interface PastCharge {
  jobId: string;
  windowStart: number;
  windowEnd: number;
  gpuSeconds: number;
}

/** Rows per statement: well under PostgreSQL's 65,535 bind parameters at 17 columns. */
const ROWS_PER_STATEMENT = 2_000;

/** Record `jobs` and `charges`, and date every cluster and pool back to `registeredAt`. One transaction. */
export async function writePastJobs(db: Db, jobs: readonly PastJob[], charges: readonly PastCharge[], registeredAt: number): Promise<void> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  await db.transaction().execute(async (tx) => {
    await sql`update clusters set created_at = ${date(registeredAt)} where created_at > ${date(registeredAt)}`.execute(tx);
    await sql`update pools set created_at = ${date(registeredAt)} where created_at > ${date(registeredAt)}`.execute(tx);
    for (const part of chunks(jobs, ROWS_PER_STATEMENT)) {
      if (part.length === 0) continue;
      await tx.insertInto('jobs').values(part.map(jobRow)).execute();
      await tx.insertInto('job_events').values(part.flatMap(eventRows)).execute();
    }
    for (const part of chunks(charges, ROWS_PER_STATEMENT)) {
      if (part.length === 0) continue;
      await tx.insertInto('ledger_entries').values(part.map((c) => chargeRow(c, byId.get(c.jobId)))).execute();
    }
  });
}

function jobRow(j: PastJob) {
  const spec = { name: j.name, projectId: j.projectId, gpuTypes: j.gpuTypes, nodes: j.nodes, gpusPerNode: j.gpusPerNode, cpusPerNode: 8, memoryGbPerNode: 64, walltimeSeconds: j.walltimeSeconds, qos: 'normal' };
  return {
    id: j.id, institution_id: j.institutionId, project_id: j.projectId, user_id: j.userId, spec: json(spec), gpu_types: j.gpuTypes,
    nodes: j.nodes, gpus_per_node: j.gpusPerNode, walltime_seconds: j.walltimeSeconds, qos: 'normal' as const, state: j.state,
    submitted_at: date(j.submittedAt), started_at: date(j.startedAt), ended_at: date(j.endedAt), cluster_id: j.clusterId, pool_id: j.poolId,
    exit_code: j.exitCode ?? null, reason: j.state === 'succeeded' ? null : j.state, updated_at: date(j.endedAt),
  };
}

function eventRows(j: PastJob) {
  const placed = json({ clusterId: j.clusterId, poolId: j.poolId });
  // The reasons the control loop and the cancel flow write for the same transitions.
  const final = j.state === 'cancelled' ? { reason: 'cancelled', data: json({ by: j.userId }) } : { reason: j.state, data: json({ exitCode: j.exitCode ?? 0 }) };
  return [
    { job_id: j.id, from_state: null, to_state: 'queued' as const, at: date(j.submittedAt), reason: 'submitted', data: json({}) },
    { job_id: j.id, from_state: 'queued' as const, to_state: 'dispatching' as const, at: date(j.startedAt), reason: 'dispatched', data: placed },
    { job_id: j.id, from_state: 'dispatching' as const, to_state: 'running' as const, at: date(j.startedAt), reason: 'started', data: placed },
    { job_id: j.id, from_state: 'running' as const, to_state: j.state, at: date(j.endedAt), ...final },
  ];
}

function chargeRow(c: PastCharge, j: PastJob | undefined) {
  if (!j) throw new Error(`past charge for unknown job ${c.jobId}`);
  return {
    job_id: c.jobId, cluster_id: j.clusterId, institution_id: j.institutionId, project_id: j.projectId, user_id: j.userId, gpu_type: j.gpuType,
    window_start: date(c.windowStart), window_end: date(c.windowEnd), gpu_seconds: c.gpuSeconds, source: 'allocation' as const, kind: 'charge' as const,
  };
}
