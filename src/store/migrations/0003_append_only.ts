/**
 * 0003: the append-only tables — the GPU-seconds ledger budgets are charged from, the audit log and KPI
 * snapshots. A trigger refuses UPDATE, DELETE and TRUNCATE on each, so history can only be corrected by
 * appending (a correcting ledger row, a new snapshot), never rewritten.
 */
import type { Kysely, Migration } from 'kysely';
import { ID, runStatements } from './run-statements.js';

const APPEND_ONLY = ['ledger_entries', 'audit_log', 'kpi_snapshots'];

const statements = [
  // SQLSTATE NCG01 lets the store map the refusal to a DomainError without parsing the message.
  `create function ncg_refuse_change() returns trigger language plpgsql as $$
  begin
    raise exception '% is append-only: % refused; append a correcting row instead', TG_TABLE_NAME, TG_OP
      using errcode = 'NCG01';
  end
  $$`,
  `create table ledger_entries (
    id bigint generated always as identity primary key,
    job_id ${ID} not null references jobs (id),
    cluster_id ${ID} not null references clusters (id),
    institution_id ${ID} not null references institutions (id),
    project_id ${ID} not null references projects (id),
    user_id ${ID} not null references users (id),
    gpu_type text not null,
    window_start timestamptz not null,
    window_end timestamptz not null,
    gpu_seconds bigint not null check (gpu_seconds >= 0),
    source text not null check (source in ('prometheus', 'allocation')),
    efficiency double precision check (efficiency between 0 and 1),
    created_at timestamptz not null default now(),
    check (window_end > window_start),
    -- re-metering a window changes nothing: the second insert conflicts
    unique (job_id, cluster_id, window_start, window_end, source)
  )`,
  `create index ledger_institution_window on ledger_entries (institution_id, window_start)`,
  `create index ledger_window on ledger_entries (window_start)`,
  `create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    actor_user_id ${ID} references users (id),
    action text not null check (action <> ''),
    target_kind text,
    target_id text,
    data jsonb not null default '{}' check (jsonb_typeof(data) = 'object')
  )`,
  `create index audit_log_at on audit_log (at)`,
  `create index audit_log_target on audit_log (target_kind, target_id)`,
  `create table kpi_snapshots (
    id bigint generated always as identity primary key,
    period text not null check (period <> ''),
    period_start timestamptz not null,
    period_end timestamptz not null,
    kind text not null check (kind <> ''),
    content jsonb not null,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null default now(),
    check (period_end > period_start)
  )`,
  `create index kpi_snapshots_kind_period on kpi_snapshots (kind, period_start)`,
  ...APPEND_ONLY.flatMap((t) => [
    `create trigger ${t}_append_only before update or delete on ${t} for each statement execute function ncg_refuse_change()`,
    `create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function ncg_refuse_change()`,
  ]),
];

/** Create the ledger, audit log and KPI snapshots, each append-only. */
export const migration0003AppendOnly: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
