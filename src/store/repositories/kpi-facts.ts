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

/** A span of whole UTC days [from, to) (epoch ms at midnights), optionally one institution's. */
export interface FactQuery { from: number; to: number; source?: FactSource; institutionId?: string }

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

/** Usage facts over the span. */
export async function usageFacts(db: Db, q: FactQuery): Promise<UsageFact[]> {
  const r = await sql<UsageFact>`
    select cluster_id as "clusterId", gpu_type as "gpuType", institution_id as "institutionId", project_id as "projectId", user_id as "userId",
           sum(gpu_seconds)::float8 as "gpuSeconds", sum(eff_gpu_seconds)::float8 as "effGpuSeconds", sum(busy_gpu_seconds)::float8 as "busyGpuSeconds"
      from ${relation(q, 'kpi_ledger_daily', ledgerDailySelect)} f
     group by 1, 2, 3, 4, 5
     order by 1, 2, 3, 4, 5`.execute(db);
  return r.rows;
}

/** Wait facts over the span. */
export async function waitFacts(db: Db, q: FactQuery): Promise<WaitFact[]> {
  const r = await sql<WaitFact>`
    select cluster_id as "clusterId", gpu_type as "gpuType", institution_id as "institutionId", project_id as "projectId", size_class as "sizeClass",
           wait_bucket::float8 as "waitSeconds", sum(jobs)::int as jobs, sum(wait_seconds)::float8 as "waitSumSeconds"
      from ${relation(q, 'kpi_wait_daily', waitDailySelect)} f
     group by 1, 2, 3, 4, 5, 6
     order by 1, 2, 3, 4, 5, 6`.execute(db);
  return r.rows;
}

/** Final-state facts over the span. */
export async function jobEndFacts(db: Db, q: FactQuery): Promise<JobEndFact[]> {
  const r = await sql<JobEndFact>`
    select cluster_id as "clusterId", gpu_type as "gpuType", institution_id as "institutionId", project_id as "projectId", state, sum(jobs)::int as jobs
      from ${relation(q, 'kpi_job_end_daily', jobEndDailySelect)} f
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
