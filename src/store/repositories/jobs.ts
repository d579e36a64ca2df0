/**
 * Jobs and their event history. Every state change goes through `transitionJob`, a conditional update
 * (`where state in (from…)`) plus an event row in one transaction: two writers can never both move a job,
 * and every transition is an event (DESIGN §4).
 */
import { sql } from 'kysely';
import type { Job, JobSpec, JobState } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import { checkLimit, decodeCursor, toPage, type Page, type PageRequest } from '../cursor.js';
import { compact, date, json, ms, optMs, type Db } from '../rows.js';
import type { Row } from '../schema.js';

/** A job with the bookkeeping the control loop and the API need beyond the domain type. */
export interface JobRecord extends Job {
  projectId: string;
  /** Key of the current dispatch attempt (sent to the adapter). */
  dispatchKey?: string;
  /** The backend's own id. */
  externalId?: string;
  /** Data behind `reason` (queue position, estimated start, …). */
  reasonData?: Record<string, unknown>;
  /** Priority at the last cycle. */
  priority?: number;
  /** The submitter's idempotency key. */
  clientKey?: string;
  /** When the job was last preempted (the scheduler's reclaim cooldown). */
  preemptedAt?: number;
}

/** One row of a job's history. */
export interface JobEvent {
  id: number;
  jobId: string;
  from?: JobState;
  to: JobState;
  at: number;
  reason?: string;
  data: Record<string, unknown>;
}

/** Map a jobs row to a JobRecord. */
export function jobFromRow(r: Row<'jobs'>): JobRecord {
  return compact<JobRecord>({
    id: r.id,
    institutionId: r.institution_id,
    projectId: r.project_id,
    userId: r.user_id,
    spec: r.spec,
    state: r.state,
    submittedAt: ms(r.submitted_at),
    startedAt: optMs(r.started_at),
    endedAt: optMs(r.ended_at),
    preemptedAt: optMs(r.preempted_at),
    clusterId: r.cluster_id ?? undefined,
    poolId: r.pool_id ?? undefined,
    nodeNames: r.node_names ?? undefined,
    borrowed: r.borrowed,
    exitCode: r.exit_code ?? undefined,
    reason: r.reason ?? undefined,
    reasonData: r.reason_data ?? undefined,
    dispatchKey: r.dispatch_key ?? undefined,
    externalId: r.external_id ?? undefined,
    priority: r.priority ?? undefined,
    clientKey: r.client_key ?? undefined,
  });
}

/** What a new job needs. */
export interface NewJob {
  id: string;
  institutionId: string;
  userId: string;
  spec: JobSpec;
  submittedAt: number;
  clientKey?: string;
  /** Who submitted it, for its audit row (written by the same statement as the job; job-intake.ts). */
  audit?: { tokenId?: string; clientAddress?: string };
}

/** The jobs row of a newly submitted (queued) job; shared by single and batched inserts. */
export function newJobRow(job: NewJob) {
  return {
    id: job.id,
    institution_id: job.institutionId,
    project_id: job.spec.projectId,
    user_id: job.userId,
    spec: json(job.spec),
    gpu_types: job.spec.gpuTypes,
    nodes: job.spec.nodes,
    gpus_per_node: job.spec.gpusPerNode,
    walltime_seconds: job.spec.walltimeSeconds,
    qos: job.spec.qos,
    state: 'queued' as const,
    submitted_at: date(job.submittedAt),
    client_key: job.clientKey ?? null,
  };
}

/** Insert a queued job and its first event. Throws DomainError `conflict` if the client key was used. */
export async function insertJob(db: Db, job: NewJob): Promise<JobRecord> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('jobs')
      .values(newJobRow(job))
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.insertInto('job_events').values({ job_id: job.id, from_state: null, to_state: 'queued', at: date(job.submittedAt), reason: 'submitted', data: json({}) }).execute();
    return jobFromRow(row);
  });
}

/** The job a user submitted with this idempotency key, if any. */
export async function findJobByClientKey(db: Db, userId: string, clientKey: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('user_id', '=', userId).where('client_key', '=', clientKey).executeTakeFirst();
  return row ? jobFromRow(row) : undefined;
}

/** One job, or DomainError `not_found`. */
export async function getJob(db: Db, id: string): Promise<JobRecord> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('job', id);
  return jobFromRow(row);
}

/** Filters for listing jobs; all optional, combined with AND. */
export interface JobFilter {
  institutionId?: string;
  projectId?: string;
  userId?: string;
  clusterId?: string;
  /** Only jobs placed on clusters at these sites (a CoE operator's view). */
  siteIds?: readonly string[];
  states?: JobState[];
}

/** A page of jobs, newest first (ids are time-ordered ULIDs). */
export async function listJobs(db: Db, filter: JobFilter, page: PageRequest = {}): Promise<Page<JobRecord>> {
  const limit = checkLimit(page.limit);
  let q = db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (filter.institutionId) q = q.where('institution_id', '=', filter.institutionId);
  if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.clusterId) q = q.where('cluster_id', '=', filter.clusterId);
  if (filter.siteIds !== undefined) {
    const sites = [...filter.siteIds];
    q = sites.length === 0 ? q.where(sql<boolean>`false`) : q.where('cluster_id', 'in', (eb) => eb.selectFrom('clusters').select('clusters.id').where('clusters.site_id', 'in', sites));
  }
  if (filter.states && filter.states.length > 0) q = q.where('state', 'in', filter.states);
  if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
  return toPage(await q.execute(), limit, (r) => r.id, jobFromRow);
}

/** Every job in one of `states` (the control loop's working set), oldest first. */
export async function jobsInStates(db: Db, states: JobState[]): Promise<JobRecord[]> {
  const rows = await db.selectFrom('jobs').selectAll().where('state', 'in', states).orderBy('submitted_at').orderBy('id').execute();
  return rows.map(jobFromRow);
}

/** A job's events in order. */
export async function jobEvents(db: Db, jobId: string, afterId = 0): Promise<JobEvent[]> {
  const rows = await db.selectFrom('job_events').selectAll().where('job_id', '=', jobId).where('id', '>', afterId).orderBy('id').execute();
  return rows.map((r) => compact<JobEvent>({ id: r.id, jobId: r.job_id, from: r.from_state ?? undefined, to: r.to_state, at: ms(r.at), reason: r.reason ?? undefined, data: r.data }));
}

/** Column changes that may accompany a transition. `null` clears a column. */
export interface JobPatch {
  startedAt?: number | null;
  endedAt?: number | null;
  clusterId?: string | null;
  poolId?: string | null;
  nodeNames?: string[] | null;
  borrowed?: boolean;
  exitCode?: number | null;
  reason?: string | null;
  reasonData?: Record<string, unknown> | null;
  dispatchKey?: string | null;
  externalId?: string | null;
  /** When the job was last preempted (kept across requeues: the scheduler's reclaim cooldown reads it). */
  preemptedAt?: number | null;
}

/** A requested state change. */
export interface Transition {
  jobId: string;
  /** The change applies only if the job is in one of these states now. */
  from: JobState[];
  to: JobState;
  at: number;
  patch?: JobPatch;
  /** Why, for the event row. */
  reason?: string;
  data?: Record<string, unknown>;
}

function patchColumns(p: JobPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const t = (v: number | null | undefined) => (v === null ? null : v === undefined ? undefined : date(v));
  if (p.startedAt !== undefined) out.started_at = t(p.startedAt);
  if (p.endedAt !== undefined) out.ended_at = t(p.endedAt);
  if (p.clusterId !== undefined) out.cluster_id = p.clusterId;
  if (p.poolId !== undefined) out.pool_id = p.poolId;
  if (p.nodeNames !== undefined) out.node_names = p.nodeNames;
  if (p.borrowed !== undefined) out.borrowed = p.borrowed;
  if (p.exitCode !== undefined) out.exit_code = p.exitCode;
  if (p.reason !== undefined) out.reason = p.reason;
  if (p.reasonData !== undefined) out.reason_data = p.reasonData === null ? null : json(p.reasonData);
  if (p.dispatchKey !== undefined) out.dispatch_key = p.dispatchKey;
  if (p.externalId !== undefined) out.external_id = p.externalId;
  if (p.preemptedAt !== undefined) out.preempted_at = t(p.preemptedAt);
  return out;
}

/**
 * Apply transitions in one transaction; each applies only if its job is still in an allowed `from` state.
 * Returns the ids that moved (others were changed by someone else first and are left alone). `alsoInTx`
 * writes more in the same transaction once the moves are known (e.g. the audit row of a user's cancel).
 */
export async function transitionJobs(db: Db, transitions: Transition[], alsoInTx?: (tx: Db, moved: ReadonlySet<string>) => Promise<void>): Promise<Set<string>> {
  if (transitions.length === 0) return new Set();
  return db.transaction().execute(async (tx) => {
    const moved = new Set<string>();
    for (const t of transitions) {
      // Lock the row and read its state so the event records the real `from`, then move it.
      const current = await tx.selectFrom('jobs').select('state').where('id', '=', t.jobId).forUpdate().executeTakeFirst();
      if (!current || !t.from.includes(current.state)) continue;
      await tx
        .updateTable('jobs')
        .set({ ...patchColumns(t.patch ?? {}), state: t.to, updated_at: sql<Date>`now()` })
        .where('id', '=', t.jobId)
        .execute();
      moved.add(t.jobId);
      await tx
        .insertInto('job_events')
        .values({ job_id: t.jobId, from_state: current.state, to_state: t.to, at: date(t.at), reason: t.reason ?? null, data: json(t.data ?? {}) })
        .execute();
    }
    if (alsoInTx) await alsoInTx(tx, moved);
    return moved;
  });
}
