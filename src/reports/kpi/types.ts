/**
 * The rows KPI definitions are computed from, and the KPIs they produce. Rows are what the store's daily
 * rollups hold (src/store/repositories/kpi-rollups.ts) or, for small data and tests, the same shapes
 * built by hand: the definitions never know which.
 */
import type { Period } from '../period.js';
import type { WaitStatRow } from './waits.js';

/** A site: where compute lives. */
export interface SiteRow { id: string; name: string; city: string; province: string }

/** A registered cluster (every registered cluster is federated under ncg: sim, slurm and kubernetes alike). */
export interface ClusterRow { id: string; siteId: string; name: string; kind: string; state: string; registeredAt: number }

/** A pool of identical GPUs. */
export interface PoolRow { id: string; clusterId: string; gpuType: string; gpus: number; bf16Tflops: number; registeredAt: number }

/** An institution (with the province its users are in). */
export interface InstitutionRow { id: string; name: string; shortName: string; province: string }

/** A project of an institution. */
export interface ProjectRow { id: string; institutionId: string; name: string }

/** GPU-seconds of one (day, cluster, GPU type, institution, project, user), from the ledger. */
export interface UsageRow {
  day: string; clusterId: string; gpuType: string; institutionId: string; projectId: string; userId: string;
  /** Net GPU-seconds: charges plus reversals (the plain ledger sum, each GPU-second once). */
  gpuSeconds: number;
  /** Of which GPU-seconds with a DCGM utilisation (efficiency) known. */
  effGpuSeconds: number;
  /** Σ GPU-seconds × utilisation over those rows: the busy GPU-seconds. */
  busyGpuSeconds: number;
}

/** Jobs that started on a day with (bucketed) wait `waitSeconds`. */
export interface WaitRow {
  day: string; clusterId: string; gpuType: string; institutionId: string; projectId: string; sizeClass: SizeClass;
  /** The wait's bucket (exact below 10 minutes; see waitBucket). */
  waitSeconds: number;
  jobs: number;
  /** The exact sum of those jobs' waits. */
  waitSumSeconds: number;
}

/** Jobs that reached final `state` on a day; clusterId '' when the job never ran. */
export interface JobEndRow { day: string; clusterId: string; gpuType: string; institutionId: string; projectId: string; state: FinalState; jobs: number }

/** Seconds a cluster was seen down (offline or unreachable) inside the period. */
export interface DownRow { clusterId: string; seconds: number }

/** An award overlapping the period and what the ledger charged to it over its own period so far. */
export interface AllocationRow {
  id: string; institutionId: string; projectId?: string; periodStart: number; periodEnd: number;
  gpuHours: number; kind: 'hard' | 'soft'; usedGpuSeconds: number;
}

/** GPU capacity known nationally but not (yet) under ncg, from configuration. */
export interface UnmanagedSystem { name: string; gpuType: string; gpus: number; bf16Tflops: number }

/** Everything the definitions need for one period. */
export interface KpiInput {
  period: Period;
  /** The grid's clock: hours after it are not available yet. */
  now: number;
  sites: SiteRow[];
  clusters: ClusterRow[];
  pools: PoolRow[];
  institutions: InstitutionRow[];
  projects: ProjectRow[];
  usage: UsageRow[];
  waits: WaitRow[];
  jobEnds: JobEndRow[];
  down: DownRow[];
  allocations: AllocationRow[];
  unmanaged: UnmanagedSystem[];
  /** Policy targets for institutions served (100 and 150). */
  institutionTargets: number[];
  /**
   * Wait statistics already computed per group where the data is (large periods), by grouping. When a
   * grouping has them, they are used instead of `waits` (same definition: src/reports/kpi/waits.ts).
   */
  waitStats?: Partial<Record<Grouping, WaitStatRow[]>>;
}

/** Final job states counted by "jobs by state". */
export const FINAL_STATES = ['succeeded', 'failed', 'cancelled'] as const;
/** One of FINAL_STATES. */
export type FinalState = (typeof FINAL_STATES)[number];

/** GPU-size classes of a job (nodes × GPUs per node). */
export const SIZE_CLASSES = ['1', '2-4', '5-8', '9-32', '33+'] as const;
/** One of SIZE_CLASSES. */
export type SizeClass = (typeof SIZE_CLASSES)[number];

/** Ways to group KPIs; `province` is where the compute is, `institutionProvince` where its users are. */
export const GROUPINGS = ['national', 'site', 'province', 'cluster', 'gpuType', 'institution', 'institutionProvince', 'project'] as const;
/** One of GROUPINGS. */
export type Grouping = (typeof GROUPINGS)[number];
