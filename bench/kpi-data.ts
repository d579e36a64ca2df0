/**
 * The KPI benchmark's data set, generated inside PostgreSQL with generate_series (client-side inserts of
 * 10 million rows would take far longer on 2 cores): a year of jobs of the seeded national grid's
 * researchers, and for every job one ledger row per 15-minute window it ran, as the meter writes them.
 *
 * Deterministic: every choice is a hash of the job number, so two runs generate the same rows.
 */
import { sql } from 'kysely';
import type { Db } from '../src/store/rows.js';

/** Windows of the meter, and the mean windows per job ((1 + 64) / 2): jobs run 15 min to 16 h. */
export const WINDOW_MINUTES = 15;
const MEAN_WINDOWS = 32.5;

/** What one generation step wrote. */
export interface Generated {
  jobs: number;
  ledgerRows: number;
}

/** Jobs needed for about `rows` ledger rows. */
export function jobsFor(rows: number): number {
  return Math.max(1, Math.round(rows / MEAN_WINDOWS));
}

/**
 * Insert jobs `first … last` (1-based) spread evenly over [yearStart, yearStart + 365 d) and their ledger
 * rows. Members, pools, waits, lengths and states come from hashes of the job number.
 */
export async function generateJobs(db: Db, first: number, last: number, totalJobs: number, yearStart: number, bulk = false): Promise<Generated> {
  return db.transaction().execute(async (tx) => {
    // Bulk mode skips row triggers — foreign-key checks (the rows are valid by construction) and the KPI
    // change marks, which the caller then writes for every day at once. Needs a superuser.
    if (bulk) await sql`set local session_replication_role = replica`.execute(tx);
    return insertJobsAndLedger(tx, first, last, totalJobs, yearStart);
  });
}

/** Mark every day of [start, end) for both rollup sources, as the triggers would have. */
export async function markDays(db: Db, start: number, end: number): Promise<void> {
  await sql`insert into kpi_rollup_marks (source, day)
            select s, d::date from unnest(array['ledger', 'jobs']) s, generate_series(${new Date(start)}::timestamptz, ${new Date(end - 1)}::timestamptz, interval '1 day') d`.execute(db);
}

async function insertJobsAndLedger(db: Db, first: number, last: number, totalJobs: number, yearStart: number): Promise<Generated> {
  const jobs = await sql`
    with members as (
      select row_number() over (order by m.user_id, m.project_id) as k, m.user_id, m.project_id, p.institution_id
        from project_members m join projects p on p.id = m.project_id
        join user_roles r on r.user_id = m.user_id and r.role = 'researcher'),
    pools as (select row_number() over (order by id) as k, id, cluster_id, gpu_type, gpus_per_node from pools),
    counts as (select (select count(*) from members) as nm, (select count(*) from pools) as np),
    n as (select g as n, (hashint4(g) & 2147483647) as h1, (hashint4(g * 7 + 1) & 2147483647) as h2, (hashint4(g * 13 + 5) & 2147483647) as h3
            from generate_series(${first}::int, ${last}::int) g),
    picked as (
      select n.*, m.user_id, m.project_id, m.institution_id, p.id as pool_id, p.cluster_id, p.gpu_type,
             least(p.gpus_per_node, 1 << (n.h2 % 4)) as gpn,
             to_timestamp(${yearStart / 1000}::float8 + (n.n - 1) * (365.0 * 86400 / ${totalJobs})) as submitted,
             ((n.h3 % 1000) ^ 2 / 1000.0 * 7.2) * interval '1 second' as wait,
             1 + (n.h1 % 64) as windows
        from n cross join counts c
        join members m on m.k = 1 + n.h1 % c.nm
        join pools p on p.k = 1 + n.h2 % c.np)
    insert into jobs (id, institution_id, project_id, user_id, spec, gpu_types, nodes, gpus_per_node, walltime_seconds, qos, state,
                      submitted_at, started_at, ended_at, cluster_id, pool_id)
    select 'j-bench-' || lpad(n::text, 9, '0'), institution_id, project_id, user_id, '{"bench":true}'::jsonb, array[gpu_type], 1, gpn,
           86400, 'normal', case when h3 % 10 = 0 then 'failed' when h3 % 29 = 0 then 'cancelled' else 'succeeded' end,
           submitted, submitted + wait, submitted + wait + windows * interval '${sql.raw(String(WINDOW_MINUTES))} minutes', cluster_id, pool_id
      from picked`.execute(db);
  const ledger = await sql`
    insert into ledger_entries (job_id, cluster_id, institution_id, project_id, user_id, gpu_type, window_start, window_end, gpu_seconds, source, efficiency)
    select j.id, j.cluster_id, j.institution_id, j.project_id, j.user_id, j.gpu_types[1],
           j.started_at + w * interval '${sql.raw(String(WINDOW_MINUTES))} minutes', j.started_at + (w + 1) * interval '${sql.raw(String(WINDOW_MINUTES))} minutes',
           j.gpus_per_node * ${WINDOW_MINUTES * 60}, 'prometheus', 0.35 + ((hashint4(w * 31 + j.gpus_per_node) & 2147483647) % 60) / 100.0
      from jobs j cross join lateral generate_series(0, (extract(epoch from j.ended_at - j.started_at) / ${WINDOW_MINUTES * 60})::int - 1) w
     where j.id between ${'j-bench-' + String(first).padStart(9, '0')} and ${'j-bench-' + String(last).padStart(9, '0')}`.execute(db);
  return { jobs: Number(jobs.numAffectedRows ?? 0), ledgerRows: Number(ledger.numAffectedRows ?? 0) };
}
