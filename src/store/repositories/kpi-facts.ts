/**
 * KPI facts of a span of whole UTC days, summed over the span: read from the daily rollups (fast, the
 * normal path) or computed from the base tables with the very same aggregations (`from: 'base'`; tests
 * use it to prove the rollups right). Optionally narrowed to one institution.
 */
import { sql, type RawBuilder } from 'kysely';
import { date, type Db } from '../rows.js';
import { jobEndDailySelect, ledgerDailySelect, waitDailySelect } from './kpi-rollups.js';

/** Where facts are read from. */
export type FactSource = 'rollup' | 'base';

/**
 * A span of whole UTC days [from, to) (epoch ms at midnights), optionally one institution's. `keep` names
 * the dimensions the caller groups by; the others are summed away in SQL (as '') so a year of facts comes
 * back as few rows as the grouping allows. Usage always keeps institution, project and user (distinct counts).
 */
export interface FactQuery { from: number; to: number; source?: FactSource; institutionId?: string; keep?: FactDimensions }

/** Dimensions to keep; all by default. */
export interface FactDimensions { cluster: boolean; gpuType: boolean; institution: boolean; project: boolean }

const ALL: FactDimensions = { cluster: true, gpuType: true, institution: true, project: true };

function dims(q: FactQuery, always: Partial<FactDimensions> = {}) {
  const k = { ...ALL, ...q.keep, ...always };
  const col = (on: boolean, name: string) => (on ? sql.ref(name) : sql`''`);
  return { cluster: col(k.cluster, 'cluster_id'), gpuType: col(k.gpuType, 'gpu_type'), institution: col(k.institution, 'institution_id'), project: col(k.project, 'project_id') };
}

// Waits come back exact below 100 s and to two significant digits above (≤ 5 % off), so a year of them
// is a few hundred distinct values per group rather than one per job.
const COARSE_WAIT = sql`case when wait_bucket < 100 then wait_bucket else round(wait_bucket / pow(10, floor(log(wait_bucket)) - 1)) * pow(10, floor(log(wait_bucket)) - 1) end`;

/** Ledger facts per (cluster, GPU type, institution, project, user). */
export interface UsageFact { clusterId: string; gpuType: string; institutionId: string; projectId: string; userId: string; gpuSeconds: number; effGpuSeconds: number; busyGpuSeconds: number }
/** Wait facts per (cluster, GPU type, institution, project, size class, wait bucket). */
export interface WaitFact { clusterId: string; gpuType: string; institutionId: string; projectId: string; sizeClass: string; waitSeconds: number; jobs: number; waitSumSeconds: number }
/** Final-state facts per (cluster, GPU type, institution, project, state). */
export interface JobEndFact { clusterId: string; gpuType: string; institutionId: string; projectId: string; state: string; jobs: number }

function relation(q: FactQuery, table: string, select: (from: number, to: number) => RawBuilder<unknown>): RawBuilder<unknown> {
  const where = q.institutionId === undefined ? sql`true` : sql`institution_id = ${q.institutionId}`;
  if ((q.source ?? 'rollup') === 'base') return sql`(select * from (${select(q.from, q.to)}) b where ${where})`;
  return sql`(select * from ${sql.table(table)} where day >= ${date(q.from)}::date and day < ${date(q.to)}::date and ${where})`;
}

const DAY_MS = 86_400_000;

/** The whole calendar months inside [from, to): [first month start, end of the last) — empty when none. */
export function wholeMonths(from: number, to: number): [number, number] {
  const f = new Date(from);
  const first = Date.UTC(f.getUTCFullYear(), f.getUTCMonth(), 1) === from ? from : Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + 1, 1);
  const t = new Date(to);
  const last = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
  return last > first ? [first, last] : [first, first];
}

// People-side use from the monthly rollup for whole months, the daily one for the days around them.
function peopleUsage(q: FactQuery): RawBuilder<unknown> {
  const where = q.institutionId === undefined ? sql`true` : sql`institution_id = ${q.institutionId}`;
  const [m0, m1] = wholeMonths(q.from, q.to);
  const d = (t: number) => sql`${date(t)}::date`;
  return sql`(
    select '' as cluster_id, '' as gpu_type, institution_id, project_id, user_id, gpu_seconds, eff_gpu_seconds, busy_gpu_seconds
      from kpi_ledger_monthly where month >= ${d(m0)} and month < ${d(m1)} and ${where}
    union all
    select cluster_id, gpu_type, institution_id, project_id, user_id, gpu_seconds, eff_gpu_seconds, busy_gpu_seconds
      from kpi_ledger_daily
     where ((day >= ${d(q.from)} and day < ${d(Math.min(m0, q.to))}) or (day >= ${d(Math.max(m1, q.from))} and day < ${d(q.to)})) and ${where})`;
}

/** Usage facts over the span. */
export async function usageFacts(db: Db, q: FactQuery): Promise<UsageFact[]> {
  const d = dims(q, { institution: true, project: true });
  const rel = peopleSide(q) ? peopleUsage(q) : relation(q, 'kpi_ledger_daily', ledgerDailySelect);
  const r = await sql<UsageFact>`
    select ${d.cluster} as "clusterId", ${d.gpuType} as "gpuType", ${d.institution} as "institutionId", ${d.project} as "projectId", user_id as "userId",
           sum(gpu_seconds)::float8 as "gpuSeconds", sum(eff_gpu_seconds)::float8 as "effGpuSeconds", sum(busy_gpu_seconds)::float8 as "busyGpuSeconds"
      from ${rel} f
     group by 1, 2, 3, 4, 5
     order by 1, 2, 3, 4, 5`.execute(db);
  return r.rows;
}

/** Wait facts over the span. */
export async function waitFacts(db: Db, q: FactQuery): Promise<WaitFact[]> {
  const d = dims(q);
  const r = await sql<WaitFact>`
    select ${d.cluster} as "clusterId", ${d.gpuType} as "gpuType", ${d.institution} as "institutionId", ${d.project} as "projectId", size_class as "sizeClass",
           (${COARSE_WAIT})::float8 as "waitSeconds", sum(jobs)::int as jobs, sum(wait_seconds)::float8 as "waitSumSeconds"
      from ${relation(q, 'kpi_wait_daily', waitDailySelect)} f
     group by 1, 2, 3, 4, 5, 6
     order by 1, 2, 3, 4, 5, 6`.execute(db);
  return r.rows;
}

// People-side final states: the monthly rollup for whole months, the daily one around them.
function peopleEnds(q: FactQuery): RawBuilder<unknown> {
  const where = q.institutionId === undefined ? sql`true` : sql`institution_id = ${q.institutionId}`;
  const [m0, m1] = wholeMonths(q.from, q.to);
  const d = (t: number) => sql`${date(t)}::date`;
  return sql`(
    select '' as cluster_id, '' as gpu_type, institution_id, project_id, state, jobs
      from kpi_job_end_monthly where month >= ${d(m0)} and month < ${d(m1)} and ${where}
    union all
    select cluster_id, gpu_type, institution_id, project_id, state, jobs
      from kpi_job_end_daily
     where ((day >= ${d(q.from)} and day < ${d(Math.min(m0, q.to))}) or (day >= ${d(Math.max(m1, q.from))} and day < ${d(q.to)})) and ${where})`;
}

function peopleSide(q: FactQuery): boolean {
  return (q.source ?? 'rollup') === 'rollup' && q.keep !== undefined && !q.keep.cluster && !q.keep.gpuType && q.to - q.from >= DAY_MS;
}

/** Final-state facts over the span. */
export async function jobEndFacts(db: Db, q: FactQuery): Promise<JobEndFact[]> {
  const d = dims(q);
  const rel = peopleSide(q) ? peopleEnds(q) : relation(q, 'kpi_job_end_daily', jobEndDailySelect);
  const r = await sql<JobEndFact>`
    select ${d.cluster} as "clusterId", ${d.gpuType} as "gpuType", ${d.institution} as "institutionId", ${d.project} as "projectId", state, sum(jobs)::int as jobs
      from ${rel} f
     group by 1, 2, 3, 4, 5
     order by 1, 2, 3, 4, 5`.execute(db);
  return r.rows;
}

/** GPU-seconds per UTC day of the span (the time series of the dashboard), optionally one institution's, by project. */
export async function dailyUsage(db: Db, q: FactQuery, byProject = false): Promise<{ day: string; key: string; gpuSeconds: number }[]> {
  const key = byProject ? sql`project_id` : sql`''`;
  const r = await sql<{ day: string; key: string; gpuSeconds: number }>`
    select to_char(day, 'YYYY-MM-DD') as day, ${key} as key, sum(gpu_seconds)::float8 as "gpuSeconds"
      from ${relation(q, 'kpi_ledger_daily', ledgerDailySelect)} f
     group by 1, 2 order by 1, 2`.execute(db);
  return r.rows;
}
