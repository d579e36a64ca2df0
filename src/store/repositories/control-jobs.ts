/**
 * Job writes the control loop makes besides state transitions (which go through `transitionJobs`):
 * pending verdicts in bulk, the "being preempted" mark, backend ids of submitted jobs, and the reads the
 * loop needs (jobs by id, recently cancelled jobs that a cluster may still be running).
 * Bulk writes pass their rows as one jsonb parameter expanded with `jsonb_to_recordset`, so a 100,000-job
 * queue is a handful of statements on both pg and PGlite (no 65,535-parameter limit to chunk around).
 */
import { sql } from 'kysely';
import { chunks, date, json, type Db } from '../rows.js';
import { jobFromRow, type JobRecord } from './jobs.js';

/** What a cycle says about a job left pending: the job API shows exactly these. */
export interface PendingVerdictRow {
  jobId: string;
  reason: string;
  reasonData: Record<string, unknown>;
  priority: number;
}

/**
 * Write verdicts (reason, reason_data, priority, priority_at) on jobs still waiting (`queued` or `preempted`:
 * a job dispatched or cancelled since the snapshot keeps what it has). Returns how many rows changed.
 */
export async function writePendingVerdicts(db: Db, rows: readonly PendingVerdictRow[], at: number): Promise<number> {
  let changed = 0;
  for (const part of chunks(rows, 5_000)) {
    const payload = json(part.map((r) => ({ id: r.jobId, reason: r.reason, data: r.reasonData, priority: r.priority })));
    const result = await sql`
      update jobs as j
         set reason = v.reason, reason_data = v.data, priority = v.priority, priority_at = ${date(at)}, updated_at = now()
        from jsonb_to_recordset(${payload}::jsonb) as v(id text, reason text, data jsonb, priority double precision)
       where j.id = v.id and j.state in ('queued', 'preempted')`.execute(db);
    changed += Number(result.numAffectedRows ?? 0n);
  }
  return changed;
}

/** Mark running jobs as being preempted (persisted before the cluster is asked to stop them). Returns the ids marked. */
export async function markPreempting(db: Db, marks: readonly { jobId: string; forJobId: string }[], at: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(marks, 5_000)) {
    const payload = json(part.map((m) => ({ id: m.jobId, data: { forJobId: m.forJobId, since: at } })));
    const rows = await sql<{ id: string }>`
      update jobs as j
         set reason = 'preempting', reason_data = v.data, updated_at = now()
        from jsonb_to_recordset(${payload}::jsonb) as v(id text, data jsonb)
       where j.id = v.id and j.state = 'running'
      returning j.id`.execute(db);
    for (const r of rows.rows) out.add(r.id);
  }
  return out;
}

/** Record the backend ids of submitted jobs still dispatching under the same key; returns the ids recorded. */
export async function recordExternalIds(db: Db, rows: readonly { jobId: string; dispatchKey: string; externalId: string }[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(rows, 5_000)) {
    const payload = json(part.map((r) => ({ id: r.jobId, key: r.dispatchKey, ext: r.externalId })));
    const result = await sql<{ id: string }>`
      update jobs as j
         set external_id = v.ext, updated_at = now()
        from jsonb_to_recordset(${payload}::jsonb) as v(id text, key text, ext text)
       where j.id = v.id and j.state = 'dispatching' and j.dispatch_key = v.key
      returning j.id`.execute(db);
    for (const r of result.rows) out.add(r.id);
  }
  return out;
}

/** The jobs with these ids (any state), in no particular order. */
export async function jobsByIds(db: Db, ids: readonly string[]): Promise<JobRecord[]> {
  const out: JobRecord[] = [];
  for (const part of chunks(ids, 5_000)) {
    if (part.length === 0) continue;
    const rows = await db.selectFrom('jobs').selectAll().where('id', 'in', part).execute();
    out.push(...rows.map(jobFromRow));
  }
  return out;
}

/**
 * Jobs cancelled in the store since `since` that had been handed to a cluster: the cluster may still run
 * them (the cancel call failed, or the cancel raced a dispatch), so the loop checks them again.
 */
export async function cancelledOnClustersSince(db: Db, since: number): Promise<JobRecord[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('state', '=', 'cancelled')
    .where('dispatch_key', 'is not', null)
    .where('cluster_id', 'is not', null)
    .where('ended_at', '>=', date(since))
    .execute();
  return rows.map(jobFromRow);
}
