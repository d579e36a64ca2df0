/**
 * Version-neutral views of slurmrestd's objects. Each API version's mapping (api-v0-0-38.ts, …) reads its
 * JSON into these and writes a submit body from a SubmitPlan, so the rest of the adapter never sees a
 * version-specific shape.
 */

/** A node as the adapter needs it. */
export interface SlurmNode {
  name: string;
  /** Base state, lower case: idle, mixed, allocated, down, … */
  state: string;
  /** State flags, upper case: DRAIN, NOT_RESPONDING, MAINTENANCE, … */
  flags: string[];
  /** Configured generic resources, e.g. `gpu:a100:4`. */
  gres: string;
  /** Allocated generic resources, e.g. `gpu:a100:2(IDX:0-1)`. */
  gresUsed: string;
  partitions: string[];
  cpus: number;
  allocCpus: number;
}

/** A partition. */
export interface SlurmPartition {
  name: string;
  /** UP, DOWN, DRAIN, INACTIVE. */
  state: string;
}

/** A job. Times are unix seconds as Slurm gives them (0 when unset). */
export interface SlurmJob {
  jobId: string;
  name: string;
  comment: string;
  userName: string;
  partition: string;
  /** PENDING, RUNNING, COMPLETED, … (upper case). */
  state: string;
  stateReason: string;
  /** Raw wait status of the batch script (exit 3 → 768); undefined while unknown. */
  exitCodeRaw?: number;
  submitTime: number;
  startTime: number;
  endTime: number;
  /** Hostlist of allocated nodes, e.g. `node[1-2]`; empty while pending. */
  nodes: string;
}

/** Everything a batch submission says, independent of the API version. */
export interface SubmitPlan {
  script: string;
  partition: string;
  account: string;
  /** The Unix user the job runs as. */
  user: string;
  name: string;
  comment: string;
  nodes: number;
  tasksPerNode: number;
  cpusPerTask: number;
  /** `a100:2` (typed) or `2`; undefined for a job without GPUs. */
  gpusPerNode?: string;
  memoryMbPerNode: number;
  /** Exactly these nodes (ncg's placement); undefined lets Slurm choose within the partition. */
  nodeList?: string[];
  timeLimitMinutes: number;
  workdir: string;
  stdout: string;
  environment: Record<string, string>;
}

/** The paths and shapes of one slurmrestd API version. */
export interface SlurmApiMapping {
  version: string;
  paths: {
    ping: string;
    nodes: string;
    partitions: string;
    jobs: string;
    job(id: string): string;
    submit: string;
  };
  /** True when the ping answer says slurmctld is up. */
  pingOk(body: unknown): boolean;
  readNodes(body: unknown): SlurmNode[];
  readPartitions(body: unknown): SlurmPartition[];
  readJobs(body: unknown): SlurmJob[];
  submitBody(plan: SubmitPlan): unknown;
  /** The new job's id from a submit answer. */
  readSubmittedJobId(body: unknown): string;
}
