/**
 * Wait statistics computed in SQL from the wait rollup, per group of a grouping and GPU-size class ('*'
 * for all sizes): jobs, the exact wait sum, and nearest-rank p50 / p90 over the (coarsened) wait buckets.
 * The same definition as src/reports/kpi/waits.ts applied where the data is, so a year of per-institution
 * waits comes back as a few hundred rows instead of one per bucket; tests check the two agree.
 */
import { sql, type RawBuilder } from 'kysely';
import { date, type Db } from '../rows.js';
import { waitDailySelect } from './kpi-rollups.js';
import type { FactQuery } from './kpi-facts.js';

/** Groupings the SQL knows how to key (src/reports/kpi/groups.ts has the same rules). */
export type WaitGrouping = 'national' | 'site' | 'province' | 'cluster' | 'gpuType' | 'institution' | 'institutionProvince' | 'project';

// Fixed SQL per grouping (never built from input); null keys (jobs that never ran, by site) drop out.
const KEYS: Record<WaitGrouping, RawBuilder<string>> = {
  national: sql`'national'`,
  site: sql`c.site_id`,
  province: sql`s.province`,
  cluster: sql`c.id`,
  gpuType: sql`case when f.cluster_id = '' then null else f.gpu_type end`,
  institution: sql`f.institution_id`,
  institutionProvince: sql`i.province`,
  project: sql`f.project_id`,
};

// Only the joins a grouping's key needs: a national year of waits is one pass over the rollup.
const JOINS: Record<WaitGrouping, RawBuilder<unknown>> = {
  national: sql``,
  site: sql`left join clusters c on c.id = f.cluster_id`,
  province: sql`left join clusters c on c.id = f.cluster_id left join sites s on s.id = c.site_id`,
  cluster: sql`left join clusters c on c.id = f.cluster_id`,
  gpuType: sql``,
  institution: sql``,
  institutionProvince: sql`left join institutions i on i.id = f.institution_id`,
  project: sql``,
};

const COARSE = sql`case when wait_bucket < 100 then wait_bucket else round(wait_bucket / pow(10, floor(log(wait_bucket)) - 1)) * pow(10, floor(log(wait_bucket)) - 1) end`;

/** One (group, size class) of wait statistics. */
export interface WaitStatFact { group: string; sizeClass: string; jobs: number; waitSumSeconds: number; p50Seconds: number; p90Seconds: number }

/** Wait statistics of the span per group of `grouping` and size class ('*' = all sizes). */
export async function waitStatsByGroup(db: Db, q: FactQuery, grouping: WaitGrouping): Promise<WaitStatFact[]> {
  const where = q.institutionId === undefined ? sql`true` : sql`institution_id = ${q.institutionId}`;
  const rel = (q.source ?? 'rollup') === 'base'
    ? sql`(select * from (${waitDailySelect(q.from, q.to)}) b where ${where})`
    : sql`(select * from kpi_wait_daily where day >= ${date(q.from)}::date and day < ${date(q.to)}::date and ${where})`;
  const r = await sql<WaitStatFact>`
    with f as (
      select ${KEYS[grouping]} as g, f.size_class, ${COARSE} as w, sum(f.jobs)::float8 as n, sum(f.wait_seconds)::float8 as s
        from ${rel} f ${JOINS[grouping]}
       group by 1, 2, 3),
    sized as (
      select g, size_class, w, n, s from f where g is not null
      union all
      select g, '*', w, sum(n), sum(s) from f where g is not null group by g, w),
    ranked as (
      select g, size_class, w, n, s,
             sum(n) over (partition by g, size_class order by w rows unbounded preceding) as cum,
             sum(n) over (partition by g, size_class) as total
        from sized)
    select g as "group", size_class as "sizeClass", max(total)::int as jobs, sum(s)::float8 as "waitSumSeconds",
           min(w) filter (where cum >= greatest(1, ceil(50 * total / 100.0)))::float8 as "p50Seconds",
           min(w) filter (where cum >= greatest(1, ceil(90 * total / 100.0)))::float8 as "p90Seconds"
      from ranked group by 1, 2 order by 1, 2`.execute(db);
  return r.rows;
}
