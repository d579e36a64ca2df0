/**
 * 0001: the grid and its people — sites, clusters, pools, institutions, projects, users and their roles,
 * API tokens, allocations, and a key-value `meta` table (e.g. `seeded_at`).
 */
import type { Kysely, Migration } from 'kysely';
import { ID, runStatements } from './run-statements.js';

const statements = [
  `create table meta (
    key text collate "C" primary key,
    value text not null,
    updated_at timestamptz not null default now()
  )`,
  `create table sites (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    name text not null check (name <> ''),
    city text not null,
    province text not null,
    tier text not null check (tier in ('primary-coe', 'auxiliary-coe', 'data-centre', 'ai-hub')),
    created_at timestamptz not null default now()
  )`,
  `create table clusters (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    site_id ${ID} not null references sites (id),
    name text not null check (name <> ''),
    kind text not null check (kind in ('kubernetes', 'slurm', 'sim')),
    state text not null default 'active' check (state in ('active', 'draining', 'offline')),
    config jsonb not null default '{}' check (jsonb_typeof(config) = 'object'),
    created_at timestamptz not null default now(),
    unique (site_id, name)
  )`,
  `create table pools (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    cluster_id ${ID} not null references clusters (id),
    name text not null check (name <> ''),
    gpu_type text not null check (gpu_type <> '' and gpu_type <> 'any'),
    nodes integer not null check (nodes > 0),
    gpus_per_node integer not null check (gpus_per_node > 0),
    gpu_memory_gb double precision not null check (gpu_memory_gb > 0),
    bf16_tflops double precision not null check (bf16_tflops >= 0),
    created_at timestamptz not null default now(),
    unique (cluster_id, name),
    unique (id, cluster_id)
  )`,
  `create table institutions (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    name text not null check (name <> ''),
    short_name text not null,
    province text not null,
    city text not null,
    shares double precision not null check (shares >= 0),
    created_at timestamptz not null default now()
  )`,
  `create table projects (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    institution_id ${ID} not null references institutions (id),
    name text not null check (name <> ''),
    shares double precision not null check (shares >= 0),
    created_at timestamptz not null default now(),
    unique (id, institution_id)
  )`,
  `create index projects_institution on projects (institution_id)`,
  `create table users (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    institution_id ${ID} not null references institutions (id),
    name text not null,
    email text not null check (email like '%_@_%'),
    created_at timestamptz not null default now()
  )`,
  `create unique index users_email on users (lower(email))`,
  `create index users_institution on users (institution_id)`,
  `create table user_roles (
    user_id ${ID} not null references users (id) on delete cascade,
    role text not null check (role in ('researcher', 'institution-admin', 'coe-operator', 'national-admin')),
    primary key (user_id, role)
  )`,
  `create table operator_sites (
    user_id ${ID} not null references users (id) on delete cascade,
    site_id ${ID} not null references sites (id),
    primary key (user_id, site_id)
  )`,
  `create table project_members (
    project_id ${ID} not null references projects (id),
    user_id ${ID} not null references users (id) on delete cascade,
    primary key (project_id, user_id)
  )`,
  `create index project_members_user on project_members (user_id)`,
  `create table api_tokens (
    id ${ID} primary key,
    user_id ${ID} not null references users (id) on delete cascade,
    name text not null check (length(name) between 1 and 200),
    prefix text not null,
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
  )`,
  `create index api_tokens_user on api_tokens (user_id)`,
  // A project sub-allocation names its institution too; the composite key keeps the two consistent.
  `create table allocations (
    id ${ID} primary key check (id ~ '^\\S{1,200}$'),
    institution_id ${ID} not null references institutions (id),
    project_id ${ID},
    period_start timestamptz not null,
    period_end timestamptz not null,
    gpu_hours double precision not null check (gpu_hours >= 0),
    kind text not null check (kind in ('hard', 'soft')),
    grace_pct double precision not null default 0 check (grace_pct between 0 and 100),
    max_concurrent_gpus integer check (max_concurrent_gpus >= 0),
    may_borrow boolean not null default true,
    created_at timestamptz not null default now(),
    check (period_end > period_start),
    foreign key (project_id, institution_id) references projects (id, institution_id)
  )`,
  `create index allocations_institution_period on allocations (institution_id, period_start)`,
];

/** Create the grid and people tables. */
export const migration0001Grid: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
