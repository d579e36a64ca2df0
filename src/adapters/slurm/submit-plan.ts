/**
 * An ncg dispatch → a version-neutral Slurm batch submission (SubmitPlan): partition of the chosen pool,
 * nodes × typed GPUs, CPUs and memory per node, walltime in whole minutes (rounded up: Slurm's limit is
 * in minutes and a job must never be cut shorter than asked), name and comment carrying ncg's identity,
 * work directory and output under the institution's directory, and an environment dictionary.
 * Pure: the adapter supplies the pool's GPU type and the resolved account.
 */
import type { SubmitRequest } from '../port.js';
import type { ResolvedAccount } from './accounts.js';
import { parsePoolName } from './inventory.js';
import { encodeJobComment, jobNameFor } from './job-comment.js';
import { buildJobScript } from './job-script.js';
import type { SubmitPlan } from './model.js';

/** Why a request cannot become a Slurm job (the adapter turns it into a ClusterRefusedError). */
export class SubmitPlanError extends Error {
  override readonly name = 'SubmitPlanError';
}

/** Cluster-level settings the plan needs. */
export interface PlanSettings {
  containerRuntime: 'none' | 'pyxis';
  /** Environment every job starts with. */
  environment: Record<string, string>;
  /** Run on the nodes ncg's scheduler chose (when it named one per requested node). */
  pinNodes: boolean;
}

/** Walltime in seconds → Slurm time limit in minutes (at least one). */
export function timeLimitMinutes(walltimeSeconds: number): number {
  return Math.max(1, Math.ceil(walltimeSeconds / 60));
}

/** A file-name-safe form of an id. */
function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The pool a job goes to, as the last inventory saw it. */
export interface PlanPool {
  gpuType: string;
  /** False when the nodes' gres names no type (`gpu:4`): then GPUs are asked for by count only. */
  typedGres: boolean;
}

/** Build the submission of `req` to the pool's partition. */
export function buildSubmitPlan(req: SubmitRequest, pool: PlanPool, who: ResolvedAccount, settings: PlanSettings): SubmitPlan {
  const poolGpuType = pool.gpuType;
  const spec = req.spec;
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1) throw new SubmitPlanError(`nodes must be a whole number ≥ 1, got ${spec.nodes}`);
  if (!Number.isInteger(spec.gpusPerNode) || spec.gpusPerNode < 0) throw new SubmitPlanError(`gpusPerNode must be a whole number ≥ 0, got ${spec.gpusPerNode}`);
  if (!(spec.walltimeSeconds > 0)) throw new SubmitPlanError(`walltimeSeconds must be positive, got ${spec.walltimeSeconds}`);
  const accepts = spec.gpuTypes.includes('any') || spec.gpuTypes.includes(poolGpuType);
  if (spec.gpusPerNode > 0 && !accepts) {
    throw new SubmitPlanError(`pool ${req.poolName} has ${poolGpuType} GPUs; the job accepts ${spec.gpuTypes.join(', ')}`);
  }
  let script: string;
  try {
    script = buildJobScript({ script: spec.script, command: spec.command, image: spec.image, nodes: spec.nodes, containerRuntime: settings.containerRuntime });
  } catch (e) {
    throw new SubmitPlanError((e as Error).message);
  }
  const environment: Record<string, string> = {
    ...settings.environment,
    ...(spec.env ?? {}),
    // Last, so a job's own env cannot disguise which ncg job it is.
    NCG_JOB_ID: req.jobId,
    NCG_IDEMPOTENCY_KEY: req.idempotencyKey,
    ...(spec.image ? { NCG_CONTAINER_IMAGE: spec.image } : {}),
  };
  return {
    script,
    partition: parsePoolName(req.poolName).partition,
    account: who.account,
    user: who.user,
    name: jobNameFor(req.jobId),
    comment: encodeJobComment({ idempotencyKey: req.idempotencyKey, jobId: req.jobId }),
    nodes: spec.nodes,
    tasksPerNode: 1,
    cpusPerTask: Math.max(1, Math.ceil(spec.cpusPerNode)),
    ...(spec.gpusPerNode > 0 ? { gpusPerNode: pool.typedGres ? `${poolGpuType}:${spec.gpusPerNode}` : String(spec.gpusPerNode) } : {}),
    memoryMbPerNode: Math.max(1, Math.ceil(spec.memoryGbPerNode * 1024)),
    ...(settings.pinNodes && req.nodeNames.length === spec.nodes ? { nodeList: [...req.nodeNames] } : {}),
    timeLimitMinutes: timeLimitMinutes(spec.walltimeSeconds),
    workdir: who.workdir,
    stdout: `${who.workdir}/ncg-${fileSafe(req.jobId)}-%j.out`,
    environment,
  };
}
