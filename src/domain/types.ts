/**
 * The vocabulary of DESIGN §4 as plain data types shared by every layer.
 * Times are epoch milliseconds (UTC) in the domain; the store converts to/from timestamptz.
 * GPU usage is counted in GPU-seconds (integers) everywhere.
 */

/** Tier of a site in the national plan. */
export type SiteTier = 'primary-coe' | 'auxiliary-coe' | 'data-centre' | 'ai-hub';

/** A CoE, auxiliary centre, data centre or AI hub. */
export interface Site {
  id: string;
  name: string;
  city: string;
  province: string;
  tier: SiteTier;
}

/** Which backend runs a cluster. */
export type ClusterKind = 'kubernetes' | 'slurm' | 'sim';

/** Operational state of a cluster: only `active` clusters take new jobs. */
export type ClusterState = 'active' | 'draining' | 'offline';

/** One Kubernetes or Slurm installation at a site. */
export interface Cluster {
  id: string;
  siteId: string;
  name: string;
  kind: ClusterKind;
  state: ClusterState;
}

/** A homogeneous group of nodes in a cluster (a Slurm partition, a Kubernetes node pool). */
export interface Pool {
  id: string;
  clusterId: string;
  name: string;
  gpuType: string;
  nodes: number;
  gpusPerNode: number;
  gpuMemoryGb: number;
  /** Dense bf16 TFLOPS per GPU, for capacity KPIs. */
  bf16Tflops: number;
}

/** A university or research body. */
export interface Institution {
  id: string;
  name: string;
  shortName: string;
  province: string;
  city: string;
  /** Fair-share weight among institutions. */
  shares: number;
}

/** A research project inside an institution, with a sub-share of it. */
export interface Project {
  id: string;
  institutionId: string;
  name: string;
  shares: number;
}

/** Roles a user may hold (DESIGN §1 users). */
export type Role = 'researcher' | 'institution-admin' | 'coe-operator' | 'national-admin';

/** A researcher or admin. */
export interface User {
  id: string;
  institutionId: string;
  name: string;
  email: string;
  roles: Role[];
  /** Sites a coe-operator operates. */
  operatorSiteIds?: string[];
}

/** Hard budgets stop admission at zero; soft ones allow a grace percentage, then only preemptible jobs. */
export type BudgetKind = 'hard' | 'soft';

/** An award to an institution (or a project) for a period. */
export interface Allocation {
  id: string;
  institutionId: string;
  /** Set for a project sub-allocation. */
  projectId?: string;
  /** The institution award a project sub-allocation was split from (the allocation workflow's splits). */
  parentId?: string;
  periodStart: number;
  periodEnd: number;
  gpuHours: number;
  kind: BudgetKind;
  gracePct: number;
  /** Maximum GPUs in use at once; undefined means no cap. */
  maxConcurrentGpus?: number;
  mayBorrow: boolean;
}

/** Quality of service: `high` is weighted up, `preemptible` runs only on lent capacity. */
export type Qos = 'normal' | 'high' | 'preemptible';

/** Every state of a job (DESIGN §4). */
export type JobState = 'queued' | 'dispatching' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'preempted';

/** States a job never leaves. */
export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** The simulation block a job may carry for sim clusters. */
export interface SimBehaviour {
  /** Simulated run time in seconds. */
  durationSeconds: number;
  /** Exit code at the end of the run (0 = success). */
  exitCode?: number;
  /** GPU utilisation in percent (0–100) while running. */
  gpuUtilPct?: number;
}

/** What a researcher asks for. */
export interface JobSpec {
  name: string;
  projectId: string;
  /** Acceptable GPU types; `['any']` accepts every type. */
  gpuTypes: string[];
  nodes: number;
  gpusPerNode: number;
  cpusPerNode: number;
  memoryGbPerNode: number;
  walltimeSeconds: number;
  qos: Qos;
  preferredSiteId?: string;
  image?: string;
  command?: string[];
  script?: string;
  env?: Record<string, string>;
  sim?: SimBehaviour;
}

/** A job as ncg tracks it. */
export interface Job {
  id: string;
  institutionId: string;
  userId: string;
  spec: JobSpec;
  state: JobState;
  submittedAt: number;
  startedAt?: number;
  endedAt?: number;
  clusterId?: string;
  poolId?: string;
  nodeNames?: string[];
  borrowed?: boolean;
  exitCode?: number;
  reason?: string;
}

/** Where a ledger row's GPU-seconds came from. */
export type LedgerSource = 'prometheus' | 'allocation';

/** GPU-seconds for (job, cluster, window): append-only, unique per (job, window, source). */
export interface LedgerEntry {
  jobId: string;
  clusterId: string;
  institutionId: string;
  projectId: string;
  userId: string;
  gpuType: string;
  windowStart: number;
  windowEnd: number;
  gpuSeconds: number;
  source: LedgerSource;
  /** Mean GPU utilisation 0–1 where measured. */
  efficiency?: number;
}

/** Total GPUs a job holds. */
export function jobGpus(spec: Pick<JobSpec, 'nodes' | 'gpusPerNode'>): number {
  return spec.nodes * spec.gpusPerNode;
}
