/**
 * The kysely `Database` type: one interface per table, columns in snake_case exactly as in the migrations.
 * Select types are what both dialects return after our type parsers (src/store/type-parsers.ts):
 * int8 → number, timestamptz → Date, jsonb → parsed JSON, text[] → string[].
 * jsonb columns take a JSON string on insert (see `json()` in rows.ts) so pg and PGlite serialise alike.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { BudgetKind, ClusterKind, ClusterState, JobSpec, JobState, LedgerSource, Qos, Role, SiteTier } from '../domain/types.js';

/** A timestamptz column: Date out, Date in. */
export type Timestamp = ColumnType<Date, Date, Date>;
/** A timestamptz column with a database default of now(). */
export type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** A timestamptz column defaulting to now() that updates may set. */
export type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
/** A jsonb column: parsed value out, JSON text in. */
export type Json<T> = ColumnType<T, string, string>;
/** A jsonb column with a database default. */
export type JsonDefault<T> = ColumnType<T, string | undefined, string>;
/** A bigint column read back as a JS number (values stay below 2^53). */
export type Int8 = ColumnType<number, number, number>;
/** An identity bigint primary key. */
export type Serial = ColumnType<number, never, never>;

export interface SitesTable { id: string; name: string; city: string; province: string; tier: SiteTier; created_at: CreatedAt }

export interface ClustersTable {
  id: string; site_id: string; name: string; kind: ClusterKind; state: Generated<ClusterState>;
  config: JsonDefault<Record<string, unknown>>; created_at: CreatedAt;
}

export interface PoolsTable {
  id: string; cluster_id: string; name: string; gpu_type: string; nodes: number; gpus_per_node: number;
  gpu_memory_gb: number; bf16_tflops: number; created_at: CreatedAt;
}

export interface InstitutionsTable {
  id: string; name: string; short_name: string; province: string; city: string; shares: number; created_at: CreatedAt;
}

export interface ProjectsTable { id: string; institution_id: string; name: string; shares: number; created_at: CreatedAt }

export interface UsersTable { id: string; institution_id: string; name: string; email: string; created_at: CreatedAt }

export interface UserRolesTable { user_id: string; role: Role }

export interface OperatorSitesTable { user_id: string; site_id: string }

export interface ProjectMembersTable { project_id: string; user_id: string }

export interface ApiTokensTable {
  id: string; user_id: string; name: string;
  /** Non-secret leading characters of the token, for listing. */
  prefix: string;
  /** Hex SHA-256 of the whole secret; the secret itself is never stored. */
  token_hash: string;
  created_at: CreatedAt; expires_at: Timestamp | null; revoked_at: Timestamp | null; last_used_at: Timestamp | null;
}

export interface AllocationsTable {
  id: string; institution_id: string; project_id: string | null; period_start: Timestamp; period_end: Timestamp;
  gpu_hours: number; kind: BudgetKind; grace_pct: Generated<number>; max_concurrent_gpus: number | null; may_borrow: Generated<boolean>;
  created_at: CreatedAt;
  /** The institution award a project sub-allocation was split from (migration 0007); null for awards. */
  parent_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A change request on an allocation (migration 0007): mutable status; its history is allocation_events. */
export interface AllocationRequestsTable {
  id: string; allocation_id: string; requested_by: string; requested_at: CreatedAt; extra_gpu_hours: Generated<number>;
  extend_to: Timestamp | null; justification: string; status: Generated<'pending' | 'approved' | 'rejected'>;
  decided_by: string | null; decided_at: Timestamp | null; comment: string | null;
}

/** One step of the allocation workflow (migration 0007); append-only. */
export interface AllocationEventsTable {
  id: Serial; allocation_id: string; request_id: string | null; at: CreatedAt; actor_user_id: string | null;
  kind: 'awarded' | 'split' | 'requested' | 'approved' | 'rejected'; data: JsonDefault<Record<string, unknown>>;
}

export interface JobsTable {
  id: string; institution_id: string; project_id: string; user_id: string; spec: Json<JobSpec>;
  gpu_types: string[]; nodes: number; gpus_per_node: number; walltime_seconds: number; qos: Qos;
  state: Generated<JobState>; submitted_at: Timestamp; started_at: Timestamp | null; ended_at: Timestamp | null;
  cluster_id: string | null; pool_id: string | null; node_names: string[] | null; borrowed: Generated<boolean>;
  exit_code: number | null; reason: string | null; reason_data: Json<Record<string, unknown>> | null;
  /** The submitter's idempotency key: unique per user. */
  client_key: string | null;
  /** Key of the current dispatch attempt, sent to the adapter: unique. */
  dispatch_key: string | null;
  /** The backend's own id (Slurm job id, Kubernetes Job name, sim id). */
  external_id: string | null;
  priority: number | null; priority_at: Timestamp | null; updated_at: UpdatedAt;
  /** When the job was last preempted (0008). */
  preempted_at: Timestamp | null;
}

export interface JobEventsTable {
  id: Serial; job_id: string; from_state: JobState | null; to_state: JobState; at: Timestamp; reason: string | null;
  data: JsonDefault<Record<string, unknown>>;
}

/** A ledger row adds GPU-seconds (`charge`, ≥ 0) or takes back an estimate's (`reversal`, < 0); migration 0004. */
export type LedgerEntryKind = 'charge' | 'reversal';

export interface LedgerEntriesTable {
  id: Serial; job_id: string; cluster_id: string; institution_id: string; project_id: string; user_id: string;
  gpu_type: string; window_start: Timestamp; window_end: Timestamp; gpu_seconds: Int8; source: LedgerSource;
  efficiency: number | null; kind: Generated<LedgerEntryKind>; created_at: CreatedAt;
}

/** The meter's progress per cluster and window (migration 0004): mutable state, not history. */
export interface MeteringWindowsTable {
  cluster_id: string; window_start: Timestamp; window_end: Timestamp; status: 'pending' | 'measured' | 'estimated';
  attempts: Generated<number>; last_error: string | null; first_tried_at: CreatedAt; updated_at: UpdatedAt;
}

/** GPU use the meter saw but could not charge as usual (migration 0004); append-only. */
export interface MeteringDiscrepanciesTable {
  id: Serial; cluster_id: string; window_start: Timestamp; window_end: Timestamp; kind: 'unknown-job' | 'ended-job';
  ref: string; job_id: string | null; gpu_seconds: Int8; detected_at: CreatedAt;
}

export interface AuditLogTable {
  id: Serial; at: CreatedAt; actor_user_id: string | null; action: string; target_kind: string | null;
  target_id: string | null; data: JsonDefault<Record<string, unknown>>;
  /** Migration 0007: the authenticating token, the client address, the institution concerned, values before/after. */
  token_id: ColumnType<string | null, string | null | undefined, never>;
  client_address: ColumnType<string | null, string | null | undefined, never>;
  institution_id: ColumnType<string | null, string | null | undefined, never>;
  before: ColumnType<unknown, string | null | undefined, never>;
  after: ColumnType<unknown, string | null | undefined, never>;
}

export interface KpiSnapshotsTable {
  id: Serial; period: string; period_start: Timestamp; period_end: Timestamp; kind: string;
  content: Json<unknown>; sha256: string; created_at: CreatedAt;
}

export interface UsageAccountsTable {
  /** An account-tree node id (DESIGN §5.1): `national`, an institution, a project or `project/user`. */
  account_id: string;
  /** Decayed GPU-seconds as of `as_of`. */
  value: number;
  as_of: Timestamp;
}

export interface MetaTable { key: string; value: string; updated_at: UpdatedAt }

/** Every table ncg owns, by name. */
export interface Database {
  sites: SitesTable;
  clusters: ClustersTable;
  pools: PoolsTable;
  institutions: InstitutionsTable;
  projects: ProjectsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  operator_sites: OperatorSitesTable;
  project_members: ProjectMembersTable;
  api_tokens: ApiTokensTable;
  allocations: AllocationsTable;
  allocation_requests: AllocationRequestsTable;
  allocation_events: AllocationEventsTable;
  jobs: JobsTable;
  job_events: JobEventsTable;
  ledger_entries: LedgerEntriesTable;
  metering_windows: MeteringWindowsTable;
  metering_discrepancies: MeteringDiscrepanciesTable;
  audit_log: AuditLogTable;
  kpi_snapshots: KpiSnapshotsTable;
  usage_accounts: UsageAccountsTable;
  meta: MetaTable;
}

/** A row as selected from a table. */
export type Row<T extends keyof Database> = Selectable<Database[T]>;
/** A row as inserted into a table. */
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
