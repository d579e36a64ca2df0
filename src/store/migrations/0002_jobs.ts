/**
 * 0002: jobs, their event history, and the control loop's decayed-usage accumulator.
 * A job keeps its full spec as jsonb and copies out the columns the scheduler filters on.
 * Job ids are `j-<ULID>` (src/store/ids.ts): unique without a round trip and sortable by creation time.
 */
import type { Kysely, Migration } from 'kysely';
import { ID, runStatements } from './run-statements.js';

const STATES = `('queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'preempted')`;

const statements = [
  `create table jobs (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    institution_id ${ID} not null references institutions (id),
    project_id ${ID} not null,
    user_id ${ID} not null references users (id),
    spec jsonb not null check (jsonb_typeof(spec) = 'object'),
    gpu_types text[] not null check (cardinality(gpu_types) > 0),
    nodes integer not null check (nodes > 0),
    gpus_per_node integer not null check (gpus_per_node > 0),
    walltime_seconds integer not null check (walltime_seconds > 0),
    qos text not null check (qos in ('normal', 'high', 'preemptible')),
    state text not null default 'queued' check (state in ${STATES}),
    submitted_at timestamptz not null,
    started_at timestamptz,
    ended_at timestamptz,
    cluster_id ${ID} references clusters (id),
    pool_id ${ID},
    node_names text[],
    borrowed boolean not null default false,
    exit_code integer,
    reason text,
    reason_data jsonb,
    client_key text check (length(client_key) between 1 and 200),
    dispatch_key text unique,
    external_id text,
    priority double precision,
    priority_at timestamptz,
    updated_at timestamptz not null default now(),
    foreign key (project_id, institution_id) references projects (id, institution_id),
    foreign key (pool_id, cluster_id) references pools (id, cluster_id),
    unique (user_id, client_key),
    check (ended_at is null or started_at is null or ended_at >= started_at),
    -- persist, then act: a dispatching or running job already names the cluster it was placed on
    check (state not in ('dispatching', 'running') or cluster_id is not null),
    check (state <> 'running' or started_at is not null),
    check (state not in ('succeeded', 'failed', 'cancelled') or ended_at is not null)
  )`,
  `create index jobs_state on jobs (state, submitted_at)`,
  `create index jobs_institution_state on jobs (institution_id, state)`,
  `create index jobs_user_submitted on jobs (user_id, submitted_at)`,
  `create index jobs_cluster_active on jobs (cluster_id) where state in ('dispatching', 'running')`,
  `create table job_events (
    id bigint generated always as identity primary key,
    job_id ${ID} not null references jobs (id),
    from_state text check (from_state in ${STATES}),
    to_state text not null check (to_state in ${STATES}),
    at timestamptz not null,
    reason text,
    data jsonb not null default '{}' check (jsonb_typeof(data) = 'object')
  )`,
  `create index job_events_job on job_events (job_id, id)`,
  `create table usage_accounts (
    account_id ${ID} primary key,
    value double precision not null check (value >= 0),
    as_of timestamptz not null
  )`,
];

/** Create jobs, job_events and usage_accounts. */
export const migration0002Jobs: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
