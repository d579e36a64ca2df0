/**
 * A job inside a sim cluster and the rules of its run: how long it lasts, how it ends, how it is reported.
 * Pure functions over the record; the cluster owns the timers and the GPUs.
 */
import type { ExternalJobState, ExternalJobStatus, SubmitRequest } from '../port.js';
import { ClusterRefusedError } from '../port.js';
import type { TimerId } from './clock.js';
import type { NodePlacement } from './nodes.js';

/** One job a sim cluster has accepted. */
export interface SimJob {
  key: string;
  externalId: string;
  req: SubmitRequest;
  state: ExternalJobState;
  startedAt: number;
  endedAt?: number;
  exitCode?: number;
  reason?: string;
  placement: NodePlacement[];
  /** GPU utilisation while running, percent. */
  gpuUtilPct: number;
  /** The pending end-of-run callback while running. */
  timer?: TimerId;
}

/** How a run ends: planned at start from the spec (the sim knows its future), or forced by cancel or a node failure. */
export interface JobEnd {
  at: number;
  state: 'succeeded' | 'failed' | 'cancelled';
  exitCode?: number;
  reason?: string;
}

/** Defaults for jobs that carry no `sim` block. */
export interface SimJobDefaults {
  durationSeconds: number;
  gpuUtilPct: number;
}

/** Reject requests no cluster could run, before any GPU is taken. */
export function validateRequest(req: SubmitRequest, poolGpuType: string): void {
  const { spec } = req;
  if (!spec.gpuTypes.includes('any') && !spec.gpuTypes.includes(poolGpuType)) {
    throw new ClusterRefusedError(`pool ${req.poolName} has ${poolGpuType} GPUs, job accepts ${spec.gpuTypes.join(', ')}`);
  }
  if (req.nodeNames.length !== spec.nodes) throw new ClusterRefusedError(`job asks for ${spec.nodes} nodes but ${req.nodeNames.length} were given`);
  if (!(spec.walltimeSeconds > 0)) throw new ClusterRefusedError(`walltimeSeconds must be > 0, got ${spec.walltimeSeconds}`);
  const sim = spec.sim;
  if (sim && !(sim.durationSeconds >= 0)) throw new ClusterRefusedError(`sim.durationSeconds must be ≥ 0, got ${sim.durationSeconds}`);
  if (sim?.exitCode !== undefined && !Number.isInteger(sim.exitCode)) throw new ClusterRefusedError(`sim.exitCode must be an integer, got ${sim.exitCode}`);
}

/**
 * When and how a run ends. A run longer than its walltime is killed at the limit (`failed`, reason
 * `timeout`, no exit code, as Slurm's TIMEOUT); a run of exactly the walltime completes.
 */
export function planEnd(req: SubmitRequest, startedAt: number, defaults: SimJobDefaults): JobEnd {
  const duration = req.spec.sim?.durationSeconds ?? defaults.durationSeconds;
  const walltime = req.spec.walltimeSeconds;
  if (duration > walltime) return { at: startedAt + walltime * 1000, state: 'failed', reason: 'timeout' };
  const exitCode = req.spec.sim?.exitCode ?? 0;
  const at = startedAt + duration * 1000;
  return exitCode === 0 ? { at, state: 'succeeded', exitCode } : { at, state: 'failed', exitCode, reason: 'nonzero_exit' };
}

/** Utilisation while running: the spec's, else the cluster default, clamped to 0–100. */
export function utilOf(req: SubmitRequest, defaults: SimJobDefaults): number {
  return Math.min(100, Math.max(0, req.spec.sim?.gpuUtilPct ?? defaults.gpuUtilPct));
}

/** True once a job can change no more. */
export function isFinal(state: ExternalJobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled' || state === 'lost';
}

/** The port's view of a job (a copy: callers may keep it). */
export function toStatus(job: SimJob): ExternalJobStatus {
  const s: ExternalJobStatus = {
    idempotencyKey: job.key,
    externalId: job.externalId,
    state: job.state,
    startedAt: job.startedAt,
    nodeNames: job.placement.map((p) => p.node),
  };
  if (job.endedAt !== undefined) s.endedAt = job.endedAt;
  if (job.exitCode !== undefined) s.exitCode = job.exitCode;
  if (job.reason !== undefined) s.reason = job.reason;
  return s;
}

/** The status of a job the cluster once had and has forgotten. */
export function lostStatus(key: string, externalId: string): ExternalJobStatus {
  return { idempotencyKey: key, externalId, state: 'lost', reason: 'lost' };
}
