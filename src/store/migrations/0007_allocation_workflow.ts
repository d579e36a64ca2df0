/**
 * 0007: the allocation workflow and a fuller audit trail.
 *
 * - `allocations.parent_id`: a project sub-allocation names the institution award it was split from, so
 *   "the sum of the splits never exceeds the award" is a sum over one parent (checked under a row lock on
 *   the parent, see src/store/repositories/allocation-splits.ts). One sub-allocation per project and award.
 * - `allocation_requests`: change requests (more GPU-hours, a later period end) with a justification and
 *   the national admin's decision. A request is mutable state (pending → approved | rejected); its history
 *   is in `allocation_events`.
 * - `allocation_events`: every step of the workflow (awarded, split, requested, approved, rejected), the
 *   timeline the requester reads; append-only like the ledger.
 * - `audit_log` gains who/where/before/after columns: the token that authenticated, the client address,
 *   the institution the entry concerns (institution admins see their own), and the values before and after.
 */
import type { Kysely, Migration } from 'kysely';
import { ID, runStatements } from './run-statements.js';

const statements = [
  `alter table allocations add column parent_id ${ID} references allocations (id)`,
  // A split is always a project's share of an award; an award is never a split.
  `alter table allocations add constraint allocations_parent_is_split check (parent_id is null or project_id is not null)`,
  `create unique index allocations_parent_project on allocations (parent_id, project_id) where parent_id is not null`,
  `create table allocation_requests (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    allocation_id ${ID} not null references allocations (id),
    requested_by ${ID} not null references users (id),
    requested_at timestamptz not null default now(),
    extra_gpu_hours double precision not null default 0 check (extra_gpu_hours >= 0),
    extend_to timestamptz,
    justification text not null check (length(justification) between 1 and 4000),
    status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
    decided_by ${ID} references users (id),
    decided_at timestamptz,
    comment text check (length(comment) <= 4000),
    check (extra_gpu_hours > 0 or extend_to is not null),
    check ((status = 'pending') = (decided_at is null))
  )`,
  `create index allocation_requests_allocation on allocation_requests (allocation_id)`,
  `create index allocation_requests_pending on allocation_requests (requested_at) where status = 'pending'`,
  `create table allocation_events (
    id bigint generated always as identity primary key,
    allocation_id ${ID} not null references allocations (id),
    request_id ${ID} references allocation_requests (id),
    at timestamptz not null default now(),
    actor_user_id ${ID} references users (id),
    kind text not null check (kind in ('awarded', 'split', 'requested', 'approved', 'rejected')),
    data jsonb not null default '{}' check (jsonb_typeof(data) = 'object')
  )`,
  `create index allocation_events_allocation on allocation_events (allocation_id, id)`,
  `create trigger allocation_events_append_only before update or delete on allocation_events for each statement execute function ncg_refuse_change()`,
  `create trigger allocation_events_no_truncate before truncate on allocation_events for each statement execute function ncg_refuse_change()`,
  `alter table audit_log add column token_id text`,
  `alter table audit_log add column client_address text`,
  `alter table audit_log add column institution_id ${ID}`,
  `alter table audit_log add column before jsonb`,
  `alter table audit_log add column after jsonb`,
  // Newest-first pages per actor and per institution; action and time filters ride on these or on audit_log_at.
  `create index audit_log_actor on audit_log (actor_user_id, id)`,
  `create index audit_log_institution on audit_log (institution_id, id)`,
];

/** Allocation change requests and events; who/where/before/after in the audit log. */
export const migration0007AllocationWorkflow: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
