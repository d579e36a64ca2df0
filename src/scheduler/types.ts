/**
 * The contract of the pure scheduling core: a snapshot goes in, decisions come out (DESIGN §5).
 * Instants are epoch milliseconds; durations are seconds; GPU usage is GPU-seconds.
 * The control loop (src/control) and the what-if simulator (src/simulate) both build snapshots and
 * apply decisions; nothing here does I/O.
 */
import type { BudgetKind, Qos } from '../domain/types.js';
import type { PriorityBreakdowns } from './breakdowns.js';

/** Why a job is still pending after a cycle (DESIGN §5.8). */
export type PendingReason =
  | 'Priority'
  | 'Resources'
  | 'GpuTypeUnavailable'
  | 'BudgetExhausted'
  | 'ConcurrentLimit'
  | 'Reserved'
  | 'ClusterUnavailable'
  | 'InvalidRequest';

/** A node of the account tree: national → institution → project → user. */
export interface AccountNode {
  /** Root: `national`; institutions and projects: their ids; users: `userAccountId(projectId, userId)`. */
  id: string;
  /** Raw shares relative to its siblings (normalised by the core). */
  shares: number;
  children?: AccountNode[];
}

/** The id of a user's leaf in the account tree (a Slurm-style association of user and project). */
export function userAccountId(projectId: string, userId: string): string {
  return `${projectId}/${userId}`;
}

/** Budget and limits of an institution (or, with projectId, a project sub-allocation). */
export interface BudgetState {
  institutionId: string;
  projectId?: string;
  /** Awarded GPU-seconds for the current period (budgets never decay). */
  limitGpuSeconds: number;
  /** GPU-seconds already charged from the ledger this period (finished and running work so far). */
  spentGpuSeconds: number;
  kind: BudgetKind;
  /** Soft budgets admit up to this percentage over the limit, then only preemptible jobs. */
  gracePct: number;
  /** Cap on GPUs in use at once; undefined means none. */
  maxConcurrentGpus?: number;
  /** May this institution run above its nominal share on idle GPUs? */
  mayBorrow: boolean;
}

/** One node of a pool as the adapters see it now. */
export interface NodeState {
  name: string;
  totalGpus: number;
  freeGpus: number;
  /** Drained, down, cordoned or not-ready nodes are unhealthy and take nothing. */
  healthy: boolean;
}

/** A homogeneous pool of one cluster. */
export interface PoolState {
  clusterId: string;
  poolId: string;
  siteId: string;
  gpuType: string;
  /** False when the cluster is draining, offline or unreachable: the pool takes nothing new. */
  clusterAvailable: boolean;
  nodes: NodeState[];
}

/** Fields common to running and pending jobs. */
export interface JobBase {
  id: string;
  institutionId: string;
  projectId: string;
  userId: string;
  qos: Qos;
  nodes: number;
  gpusPerNode: number;
  walltimeSeconds: number;
  submittedAt: number;
}

/** A job running (or being dispatched) on a pool. Its GPUs are already subtracted from the nodes' freeGpus. */
export interface RunningJob extends JobBase {
  clusterId: string;
  poolId: string;
  gpuType: string;
  nodeNames: string[];
  startedAt: number;
  /** Running above its institution's nominal share, hence reclaimable. */
  borrowed: boolean;
}

/** A job waiting in the national queue. */
export interface PendingJob extends JobBase {
  /** Acceptable GPU types; `['any']` accepts every type. */
  gpuTypes: string[];
  preferredSiteId?: string;
  /** When the job was last stopped to give GPUs back (preempted), epoch ms; absent when never. */
  preemptedAt?: number;
}

/** Weights and switches of a scheduling policy (config `scheduler.*`). */
export interface SchedulerPolicy {
  /** Half-life of decayed usage, seconds (default 7 days). */
  halfLifeSeconds: number;
  /** `priority`: multifactor; `fifo`: submit order (a baseline for the simulator). */
  ordering: 'priority' | 'fifo';
  weights: { fairshare: number; age: number; qos: number; size: number };
  /** Age at which the age factor reaches 1, seconds. */
  maxAgeSeconds: number;
  /** QoS factor in [0, 1] per QoS. */
  qosFactor: Record<Qos, number>;
  /** Backfill with reservations for the first K blocked jobs; 0 disables backfill (strict priority order). */
  backfillDepth: number;
  /** May institutions run above nominal share on idle GPUs? */
  borrowing: boolean;
  /** Preempt borrowed jobs for blocked jobs within nominal share? */
  reclaim: boolean;
  /** Nominal share counted over all GPUs or per GPU type. */
  nominalShareBy: 'total' | 'gpuType';
  /**
   * A preempted job may not run on lent (borrowed) GPUs for this long after its preemption, seconds (default
   * 600; 0 turns it off). Without it, a victim can take the GPUs freed for its beneficiary straight back as
   * borrowed work whenever the beneficiary cannot start at once, and be reclaimed again: on the SDSC SP2
   * trace one job was preempted 948 times. Within its institution's share it may start at any time.
   */
  reclaimCooldownSeconds?: number;
}

/** Everything the core may look at: one consistent picture at `now`. */
export interface SchedulerSnapshot {
  now: number;
  policy: SchedulerPolicy;
  accounts: AccountNode;
  /** Decayed GPU-seconds per user leaf id, already decayed to `now`. Parents are the sums of children. */
  usage: Record<string, number>;
  budgets: BudgetState[];
  pools: PoolState[];
  running: RunningJob[];
  pending: PendingJob[];
}

/** The factor breakdown of a job's priority ("why is my job where it is"; ncg's `sprio`). */
export interface PriorityBreakdown {
  jobId: string;
  priority: number;
  factors: { fairshare: number; age: number; qos: number; size: number };
}

/** Start a pending job now on these nodes. */
export interface DispatchDecision {
  jobId: string;
  clusterId: string;
  poolId: string;
  gpuType: string;
  nodeNames: string[];
  borrowed: boolean;
  /** Started ahead of higher-priority blocked jobs without delaying their reservations. */
  backfilled: boolean;
}

/** Stop a running job to give its GPUs back to a job within its nominal share. */
export interface PreemptDecision {
  jobId: string;
  /** The blocked job this reclaims capacity for. */
  forJobId: string;
}

/** A blocked high-priority job's promised start. */
export interface Reservation {
  jobId: string;
  clusterId: string;
  poolId: string;
  startAt: number;
  /** The nodes held for it (each with the job's GPUs per node). */
  nodeNames?: string[];
}

/** The one reason a job is still pending, with the data behind it. */
export interface PendingVerdict {
  jobId: string;
  reason: PendingReason;
  /**
   * 1-based position in the order the cycle considered pending jobs: priority order (under reclaim, jobs
   * within their institution's nominal share first); `priorities` lists the jobs in this order.
   */
  position: number;
  /** Estimated start (epoch ms) where known. */
  estimatedStart?: number;
  /** A sentence for humans: what blocks it and what would change it. */
  message: string;
}

/** What one cycle decided. Every pending job that is not dispatched has exactly one verdict. */
export interface CycleDecisions {
  dispatch: DispatchDecision[];
  preempt: PreemptDecision[];
  reservations: Reservation[];
  pending: PendingVerdict[];
  /** The priority breakdown of every job considered, in walk order (entry k is the job at position k + 1). */
  priorities: PriorityBreakdowns;
}
