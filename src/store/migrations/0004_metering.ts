/**
 * 0004: metering (issue 7). The ledger learns to correct itself by appending: a row is a `charge` (≥ 0
 * GPU-seconds, measured or estimated) or a `reversal` (< 0, always of an `allocation` estimate), and the
 * unique key includes that kind, so the reversal of an estimate can share the estimate's window. Adding a
 * column and swapping constraints is DDL, not UPDATE: the append-only trigger is untouched.
 *
 * Two tables of the meter's own: the windows it has metered or must retry per cluster (mutable state),
 * and the GPU use it could not attribute (append-only, like the ledger).
 */
import type { Kysely, Migration } from 'kysely';
import { ID, runStatements } from './run-statements.js';

const statements = [
  `alter table ledger_entries add column kind text not null default 'charge' check (kind in ('charge', 'reversal'))`,
  // The old key's name was chosen (and truncated) by PostgreSQL; find it rather than guess it.
  `do $$
  declare old_key text;
  begin
    select conname into old_key from pg_constraint where conrelid = 'ledger_entries'::regclass and contype = 'u';
    execute format('alter table ledger_entries drop constraint %I', old_key);
  end
  $$`,
  `alter table ledger_entries add constraint ledger_entries_entry_key unique (job_id, cluster_id, window_start, window_end, source, kind)`,
  // Same name as before, so a negative charge is refused exactly as it was.
  `alter table ledger_entries drop constraint ledger_entries_gpu_seconds_check`,
  `alter table ledger_entries add constraint ledger_entries_gpu_seconds_check check (
    case kind when 'charge' then gpu_seconds >= 0
              else gpu_seconds < 0 and source = 'allocation' and efficiency is null end)`,
  // The supersede sweep looks up estimates by when they were written and by the windows they cover.
  `create index ledger_estimates_created on ledger_entries (created_at) where source = 'allocation' and kind = 'charge'`,
  `create index ledger_estimates_cluster_end on ledger_entries (cluster_id, window_end) where source = 'allocation' and kind = 'charge'`,
  `create table metering_windows (
    cluster_id ${ID} not null references clusters (id),
    window_start timestamptz not null,
    window_end timestamptz not null,
    status text not null check (status in ('pending', 'measured', 'estimated')),
    attempts integer not null default 0 check (attempts >= 0),
    last_error text,
    first_tried_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (cluster_id, window_start),
    check (window_end > window_start)
  )`,
  `create index metering_windows_end on metering_windows (cluster_id, window_end)`,
  `create index metering_windows_pending on metering_windows (cluster_id, window_start) where status = 'pending'`,
  `create table metering_discrepancies (
    id bigint generated always as identity primary key,
    cluster_id ${ID} not null references clusters (id),
    window_start timestamptz not null,
    window_end timestamptz not null,
    kind text not null check (kind in ('unknown-job', 'ended-job')),
    ref text not null check (length(ref) between 1 and 500),
    job_id ${ID} references jobs (id),
    gpu_seconds bigint not null check (gpu_seconds >= 0),
    detected_at timestamptz not null default now(),
    check (window_end > window_start),
    unique (cluster_id, window_start, kind, ref)
  )`,
  `create index metering_discrepancies_window on metering_discrepancies (window_start)`,
  `create trigger metering_discrepancies_append_only before update or delete on metering_discrepancies for each statement execute function ncg_refuse_change()`,
  `create trigger metering_discrepancies_no_truncate before truncate on metering_discrepancies for each statement execute function ncg_refuse_change()`,
];

/** Ledger corrections (charge / reversal), metered windows and discrepancies. */
export const migration0004Metering: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
