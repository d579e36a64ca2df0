/**
 * Daily KPI rollups (migration 0005), maintained incrementally: the triggers on `ledger_entries` and
 * `jobs` leave a mark per (source, UTC day) a statement touched; `refreshKpiRollups` takes the marks it
 * can see and recomputes exactly those days from the base tables. A day's rollup is always a complete
 * recomputation of that day, so running it twice, or concurrently with writers, converges on the truth.
 *
 * The aggregations are written once, over a [from, to) range, and used both to fill the rollups and to
 * compute the same facts from scratch (tests prove the two agree).
 */
import { sql, type RawBuilder } from 'kysely';
import { date, type Db } from '../rows.js';

const DAY_MS = 86_400_000;

/** Ledger facts of windows starting in [from, to), per (day, cluster, GPU type, institution, project, user). */
export function ledgerDailySelect(from: number, to: number): RawBuilder<unknown> {
  return sql`
    select (window_start at time zone 'UTC')::date as day, cluster_id, gpu_type, institution_id, project_id, user_id,
           sum(gpu_seconds)::float8 as gpu_seconds,
           coalesce(sum(gpu_seconds) filter (where efficiency is not null), 0)::float8 as eff_gpu_seconds,
           coalesce(sum(gpu_seconds * efficiency), 0)::float8 as busy_gpu_seconds
      from ledger_entries
     where window_start >= ${date(from)} and window_start < ${date(to)}
     group by 1, 2, 3, 4, 5, 6`;
}

// Size classes and wait buckets mirror src/reports/kpi/waits.ts (sizeClassOf, waitBucket).
const SIZE_CLASS = sql`case when g <= 1 then '1' when g <= 4 then '2-4' when g <= 8 then '5-8' when g <= 32 then '9-32' else '33+' end`;
const WAIT_BUCKET = sql`case when w < 600 then floor(w) when w < 3600 then floor(w / 10) * 10 when w < 86400 then floor(w / 60) * 60 else floor(w / 600) * 600 end`;
const GPU_TYPE = sql`coalesce(p.gpu_type, case when cardinality(j.gpu_types) = 1 then j.gpu_types[1] else 'any' end)`;

/** Waits of jobs that started in [from, to), bucketed, per (day, cluster, GPU type, institution, project, size class). */
export function waitDailySelect(from: number, to: number): RawBuilder<unknown> {
  return sql`
    select (j.started_at at time zone 'UTC')::date as day, coalesce(j.cluster_id, '') as cluster_id, ${GPU_TYPE} as gpu_type,
           j.institution_id, j.project_id, ${SIZE_CLASS} as size_class, ${WAIT_BUCKET}::float8 as wait_bucket,
           count(*)::int as jobs, sum(w)::float8 as wait_seconds
      from jobs j
      left join pools p on p.id = j.pool_id
      cross join lateral (select j.nodes * j.gpus_per_node as g, greatest(0, extract(epoch from j.started_at - j.submitted_at))::float8 as w) x
     where j.started_at >= ${date(from)} and j.started_at < ${date(to)}
     group by 1, 2, 3, 4, 5, 6, 7`;
}

/** Jobs that reached a final state in [from, to), per (day, cluster or '', GPU type, institution, project, state). */
export function jobEndDailySelect(from: number, to: number): RawBuilder<unknown> {
  return sql`
    select (j.ended_at at time zone 'UTC')::date as day, coalesce(j.cluster_id, '') as cluster_id, ${GPU_TYPE} as gpu_type,
           j.institution_id, j.project_id, j.state, count(*)::int as jobs
      from jobs j
      left join pools p on p.id = j.pool_id
     where j.ended_at >= ${date(from)} and j.ended_at < ${date(to)} and j.state in ('succeeded', 'failed', 'cancelled')
     group by 1, 2, 3, 4, 5, 6`;
}

/** What a refresh recomputed. */
export interface RollupRefresh {
  /** False when another process held the rollup lock (it is refreshing; nothing was done here). */
  ran: boolean;
  ledgerDays: string[];
  jobDays: string[];
}

async function recomputeDay(tx: Db, source: 'ledger' | 'jobs', day: string): Promise<void> {
  const from = Date.parse(`${day}T00:00:00Z`);
  const to = from + DAY_MS;
  if (source === 'ledger') {
    await sql`delete from kpi_ledger_daily where day = ${day}::date`.execute(tx);
    await sql`insert into kpi_ledger_daily (day, cluster_id, gpu_type, institution_id, project_id, user_id, gpu_seconds, eff_gpu_seconds, busy_gpu_seconds)
              ${ledgerDailySelect(from, to)}`.execute(tx);
    return;
  }
  await sql`delete from kpi_wait_daily where day = ${day}::date`.execute(tx);
  await sql`insert into kpi_wait_daily (day, cluster_id, gpu_type, institution_id, project_id, size_class, wait_bucket, jobs, wait_seconds)
            ${waitDailySelect(from, to)}`.execute(tx);
  await sql`delete from kpi_job_end_daily where day = ${day}::date`.execute(tx);
  await sql`insert into kpi_job_end_daily (day, cluster_id, gpu_type, institution_id, project_id, state, jobs)
            ${jobEndDailySelect(from, to)}`.execute(tx);
}

async function recomputeMonth(tx: Db, source: 'ledger' | 'jobs', month: string): Promise<void> {
  if (source === 'jobs') {
    await sql`delete from kpi_job_end_monthly where month = ${month}::date`.execute(tx);
    await sql`insert into kpi_job_end_monthly (month, institution_id, project_id, state, jobs)
              select ${month}::date, institution_id, project_id, state, sum(jobs)
                from kpi_job_end_daily
               where day >= ${month}::date and day < (${month}::date + interval '1 month')
               group by 2, 3, 4`.execute(tx);
    return;
  }
  await sql`delete from kpi_ledger_monthly where month = ${month}::date`.execute(tx);
  await sql`insert into kpi_ledger_monthly (month, institution_id, project_id, user_id, gpu_seconds, eff_gpu_seconds, busy_gpu_seconds)
            select ${month}::date, institution_id, project_id, user_id, sum(gpu_seconds), sum(eff_gpu_seconds), sum(busy_gpu_seconds)
              from kpi_ledger_daily
             where day >= ${month}::date and day < (${month}::date + interval '1 month')
             group by 2, 3, 4`.execute(tx);
}

/**
 * Recompute every marked day, in one transaction under a try-lock (one refresher at a time across
 * replicas). Marks of transactions still in flight are invisible here, survive, and come back next time.
 */
export async function refreshKpiRollups(db: Db): Promise<RollupRefresh> {
  return db.transaction().execute(async (tx) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext('ncg.kpi-rollups')) as ok`.execute(tx);
    if (!lock.rows[0]?.ok) return { ran: false, ledgerDays: [], jobDays: [] };
    const marks = await sql<{ source: 'ledger' | 'jobs'; day: string }>`
      with gone as (delete from kpi_rollup_marks returning source, day)
      select distinct source, to_char(day, 'YYYY-MM-DD') as day from gone order by 1, 2`.execute(tx);
    const out: RollupRefresh = { ran: true, ledgerDays: [], jobDays: [] };
    for (const m of marks.rows) {
      await recomputeDay(tx, m.source, m.day);
      (m.source === 'ledger' ? out.ledgerDays : out.jobDays).push(m.day);
    }
    for (const month of new Set(out.ledgerDays.map((d) => `${d.slice(0, 7)}-01`))) await recomputeMonth(tx, 'ledger', month);
    for (const month of new Set(out.jobDays.map((d) => `${d.slice(0, 7)}-01`))) await recomputeMonth(tx, 'jobs', month);
    return out;
  });
}

/** Marks waiting to be rolled up (for health checks and tests). */
export async function pendingRollupMarks(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from kpi_rollup_marks`.execute(db);
  return r.rows[0]?.n ?? 0;
}
