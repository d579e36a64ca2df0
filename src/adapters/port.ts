/**
 * The ClusterAdapter port (DESIGN §3): what ncg needs from any backend — Kubernetes, Slurm or the simulator.
 * Every implementation is tested by the one shared contract suite in test/helpers/adapter-contract.ts.
 */
import type { JobSpec } from '../domain/types.js';
import type { NodeState } from '../scheduler/types.js';

/** One pool as the backend reports it now. */
export interface PoolInventory {
  /** The pool's name inside the cluster (Slurm partition, Kubernetes node-pool label value). */
  name: string;
  gpuType: string;
  nodes: NodeState[];
}

/** The live inventory of a cluster. */
export interface ClusterInventory {
  pools: PoolInventory[];
  /** When the backend was read (epoch ms). */
  observedAt: number;
}

/** A job to start, already placed by the scheduler. */
export interface SubmitRequest {
  /** One key per dispatch attempt: a second submit with the same key returns the first result. */
  idempotencyKey: string;
  jobId: string;
  institutionId: string;
  projectId: string;
  userId: string;
  spec: JobSpec;
  poolName: string;
  nodeNames: string[];
}

/** What the backend answered to a submit. */
export interface SubmitResult {
  /** The backend's own id (Slurm job id, Kubernetes Job name, sim id). */
  externalId: string;
  /** False when the key was seen before and the earlier job was returned. */
  created: boolean;
}

/**
 * States a backend job can be observed in. `lost`: the backend no longer knows a job it had.
 * `preempted`: the backend gave the job back and will not run it (it was stopped or removed there), so ncg
 * requeues it and may place it elsewhere — the Kubernetes adapter reports this, with reason `unschedulable`,
 * when a job's pods stay unschedulable past its configured time (it deletes the Job first, so the job
 * cannot start later behind ncg's back).
 */
export type ExternalJobState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'preempted' | 'lost';

/** A backend job's observed status. */
export interface ExternalJobStatus {
  idempotencyKey: string;
  externalId: string;
  state: ExternalJobState;
  startedAt?: number;
  endedAt?: number;
  exitCode?: number;
  /** e.g. `timeout`, `oom`, `node_fail`, `lost`, `ImagePullBackOff`. */
  reason?: string;
  nodeNames?: string[];
}

/** Result of a health probe. */
export interface ClusterHealth {
  ok: boolean;
  message?: string;
}

/** Raised by adapters when the backend cannot be reached or refuses for a transient reason. */
export class ClusterUnavailableError extends Error {
  override readonly name = 'ClusterUnavailableError';
}

/** Raised by adapters when the backend refuses this job for good (bad request for this cluster). */
export class ClusterRefusedError extends Error {
  override readonly name = 'ClusterRefusedError';
}

/** The port every backend implements. All methods are idempotent where the names say so. */
export interface ClusterAdapter {
  readonly clusterId: string;
  readonly kind: 'kubernetes' | 'slurm' | 'sim';
  /** Pools, nodes and free GPUs now. */
  inventory(): Promise<ClusterInventory>;
  /** Start a job; idempotent on `idempotencyKey`. */
  submit(req: SubmitRequest): Promise<SubmitResult>;
  /** Cancel by idempotency key; idempotent (unknown or finished jobs are a no-op). */
  cancel(idempotencyKey: string): Promise<void>;
  /** Status of the given jobs by idempotency key; unknown keys come back as `lost` only if the backend once had them, otherwise they are omitted. */
  status(idempotencyKeys: string[]): Promise<ExternalJobStatus[]>;
  /** Look up a job by idempotency key (after a crash between persist and acknowledgement). */
  find(idempotencyKey: string): Promise<ExternalJobStatus | undefined>;
  /** Cheap reachability probe. */
  health(): Promise<ClusterHealth>;
  /**
   * Optional: subscribe to job state changes as the backend sees them (sim clusters, Kubernetes watches),
   * so the control loop can react before its next poll. Events are hints: `status()` stays the truth, and a
   * backend may drop events (e.g. while unreachable). Returns an unsubscribe function.
   */
  watch?(listener: JobStatusListener): () => void;
  /** Release timers and connections. */
  close(): Promise<void>;
}

/** Receives each job status change a backend observes. */
export type JobStatusListener = (status: ExternalJobStatus) => void;
