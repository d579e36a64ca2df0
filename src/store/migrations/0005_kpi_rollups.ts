/**
 * 0005: KPI rollups (issue 10). Daily aggregates of the ledger and of job facts, kept up to date
 * incrementally: statement-level triggers on `ledger_entries` and `jobs` append a *mark* (source, day) for
 * every UTC day a statement touched, and the rollup worker recomputes only the marked days.
 *
 * Marks are plain inserts (no upsert, no row locks), so a writer never waits on the rollup worker nor on
 * another writer: the worker deletes the marks it can see, recomputes those days and commits; a mark of a
 * transaction still in flight is invisible to that delete, survives, and brings the day back next run.
 *
 * Also: cluster health samples (the dashboard's health history and the down time behind GPU-hours
 * available), and one Pillar-5 snapshot per (kind, period) so replicas writing the same schedule agree.
 */
import type { Kysely, Migration } from 'kysely';
import { ID, runStatements } from './run-statements.js';

const DAY = (col: string) => `((${col}) at time zone 'UTC')::date`;

const statements = [
  `create table kpi_rollup_marks (
    id bigint generated always as identity primary key,
    source text not null check (source in ('ledger', 'jobs')),
    day date not null
  )`,
  // A row belongs to the day its window starts in: the rule budgets and GET /v1/usage use too.
  `create table kpi_ledger_daily (
    day date not null,
    cluster_id ${ID} not null,
    gpu_type text not null,
    institution_id ${ID} not null,
    project_id ${ID} not null,
    user_id ${ID} not null,
    gpu_seconds double precision not null,
    eff_gpu_seconds double precision not null,
    busy_gpu_seconds double precision not null,
    primary key (day, cluster_id, gpu_type, institution_id, project_id, user_id)
  )`,
  `create index kpi_ledger_daily_institution on kpi_ledger_daily (institution_id, day)`,
  // The people side of the ledger by month (no cluster or GPU type): a year of national or per-institution
  // use is then a few thousand rows. Recomputed from the daily rows of every month a refresh touched.
  `create table kpi_ledger_monthly (
    month date not null,
    institution_id ${ID} not null,
    project_id ${ID} not null,
    user_id ${ID} not null,
    gpu_seconds double precision not null,
    eff_gpu_seconds double precision not null,
    busy_gpu_seconds double precision not null,
    primary key (month, institution_id, project_id, user_id)
  )`,
  // Waits of jobs that started on the day, bucketed (exact below 10 min; src/reports/kpi/waits.ts).
  `create table kpi_wait_daily (
    day date not null,
    cluster_id ${ID} not null,
    gpu_type text not null,
    institution_id ${ID} not null,
    project_id ${ID} not null,
    size_class text not null,
    wait_bucket double precision not null,
    jobs integer not null,
    wait_seconds double precision not null,
    primary key (day, cluster_id, gpu_type, institution_id, project_id, size_class, wait_bucket)
  )`,
  // Jobs that reached a final state on the day (cluster '' when it never ran anywhere).
  `create table kpi_job_end_daily (
    day date not null,
    cluster_id ${ID} not null,
    gpu_type text not null,
    institution_id ${ID} not null,
    project_id ${ID} not null,
    state text not null,
    jobs integer not null,
    primary key (day, cluster_id, gpu_type, institution_id, project_id, state)
  )`,
  // A day's job facts are recomputed from the jobs that started or ended on it.
  `create index jobs_started_at on jobs (started_at) where started_at is not null`,
  `create index jobs_ended_at on jobs (ended_at) where ended_at is not null`,
  // Final states by month and institution/project (people side), like kpi_ledger_monthly.
  `create table kpi_job_end_monthly (
    month date not null,
    institution_id ${ID} not null,
    project_id ${ID} not null,
    state text not null,
    jobs integer not null,
    primary key (month, institution_id, project_id, state)
  )`,
  `create function ncg_kpi_mark_ledger() returns trigger language plpgsql as $$
  begin
    insert into kpi_rollup_marks (source, day) select distinct 'ledger', ${DAY('window_start')} from new_rows;
    return null;
  end
  $$`,
  `create function ncg_kpi_mark_jobs_insert() returns trigger language plpgsql as $$
  begin
    insert into kpi_rollup_marks (source, day)
      select distinct 'jobs', d from (
        select ${DAY('started_at')} as d from new_rows where started_at is not null
        union select ${DAY('ended_at')} from new_rows where ended_at is not null) t;
    return null;
  end
  $$`,
  // Old rows too: a restarted job moves its start, and the day it left must lose it.
  `create function ncg_kpi_mark_jobs_update() returns trigger language plpgsql as $$
  begin
    insert into kpi_rollup_marks (source, day)
      select distinct 'jobs', d from (
        select ${DAY('n.started_at')} as d from new_rows n join old_rows o using (id)
         where n.started_at is distinct from o.started_at
        union select ${DAY('o.started_at')} from new_rows n join old_rows o using (id)
         where n.started_at is distinct from o.started_at
        union select ${DAY('n.ended_at')} from new_rows n join old_rows o using (id)
         where n.ended_at is distinct from o.ended_at or n.state is distinct from o.state
        union select ${DAY('o.ended_at')} from new_rows n join old_rows o using (id)
         where n.ended_at is distinct from o.ended_at) t
       where d is not null;
    return null;
  end
  $$`,
  `create trigger ledger_entries_kpi_marks after insert on ledger_entries referencing new table as new_rows
     for each statement execute function ncg_kpi_mark_ledger()`,
  `create trigger jobs_kpi_marks_insert after insert on jobs referencing new table as new_rows
     for each statement execute function ncg_kpi_mark_jobs_insert()`,
  `create trigger jobs_kpi_marks_update after update on jobs referencing old table as old_rows new table as new_rows
     for each statement execute function ncg_kpi_mark_jobs_update()`,
  // What was there before this migration needs rolling up once.
  `insert into kpi_rollup_marks (source, day) select distinct 'ledger', ${DAY('window_start')} from ledger_entries`,
  `insert into kpi_rollup_marks (source, day)
     select distinct 'jobs', d from (select ${DAY('started_at')} as d from jobs union select ${DAY('ended_at')} from jobs) t where d is not null`,
  `create table cluster_health_samples (
    cluster_id ${ID} not null references clusters (id),
    at timestamptz not null,
    state text not null check (state in ('active', 'draining', 'offline')),
    reachable boolean not null,
    nodes_total integer not null check (nodes_total >= 0),
    nodes_healthy integer not null check (nodes_healthy >= 0),
    gpus_total integer not null check (gpus_total >= 0),
    gpus_free integer not null check (gpus_free >= 0),
    interval_seconds integer not null check (interval_seconds > 0),
    primary key (cluster_id, at)
  )`,
  `create index cluster_health_down on cluster_health_samples (at) where state = 'offline' or not reachable`,
  `create unique index kpi_snapshots_one_per_period on kpi_snapshots (kind, period)`,
];

/** Daily KPI rollups with their change marks, cluster health samples, one snapshot per period. */
export const migration0005KpiRollups: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
