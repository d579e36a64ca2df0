/**
 * Slurm job records → the port's ExternalJobStatus. Slurm's `exit_code` is a raw wait status
 * (exit 3 → 768, killed by SIGTERM → 15); a job killed by a signal reports 128 + signal, as a shell would.
 * Terminal Slurm states that are failures carry a short reason (`timeout`, `oom`, `node_fail`, …).
 */
import type { ExternalJobState, ExternalJobStatus } from '../port.js';
import { expandHostlist } from './hostlist.js';
import type { SlurmJob } from './model.js';

const signalNames: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
  10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 24: 'SIGXCPU', 25: 'SIGXFSZ',
};

/** A decoded wait status. */
export interface WaitStatus {
  /** The exit status, or 128 + signal when a signal ended the process. */
  exitCode: number;
  signal?: number;
  signalName?: string;
}

/** Decode a raw wait status as waitpid(2) reports it. */
export function decodeWaitStatus(raw: number): WaitStatus {
  const signal = raw & 0x7f;
  if (signal === 0) return { exitCode: (raw >> 8) & 0xff };
  return { exitCode: 128 + signal, signal, signalName: signalNames[signal] ?? `SIG${signal}` };
}

/** ncg state and fixed reason of each terminal or special Slurm state. */
const stateTable: Record<string, { state: ExternalJobState; reason?: string }> = {
  PENDING: { state: 'pending' },
  CONFIGURING: { state: 'pending' },
  REQUEUED: { state: 'pending' },
  REQUEUE_HOLD: { state: 'pending' },
  REQUEUE_FED: { state: 'pending' },
  RESV_DEL_HOLD: { state: 'pending' },
  RUNNING: { state: 'running' },
  COMPLETING: { state: 'running' },
  SIGNALING: { state: 'running' },
  STAGE_OUT: { state: 'running' },
  RESIZING: { state: 'running' },
  // A suspended job keeps its GPUs allocated: for the grid it still occupies them.
  SUSPENDED: { state: 'running', reason: 'suspended' },
  STOPPED: { state: 'running', reason: 'suspended' },
  COMPLETED: { state: 'succeeded' },
  FAILED: { state: 'failed' },
  CANCELLED: { state: 'cancelled', reason: 'cancelled' },
  REVOKED: { state: 'cancelled', reason: 'revoked' },
  TIMEOUT: { state: 'failed', reason: 'timeout' },
  NODE_FAIL: { state: 'failed', reason: 'node_fail' },
  PREEMPTED: { state: 'preempted', reason: 'preempted' },
  OUT_OF_MEMORY: { state: 'failed', reason: 'oom' },
  BOOT_FAIL: { state: 'failed', reason: 'boot_fail' },
  DEADLINE: { state: 'failed', reason: 'deadline' },
};

const finalStates = new Set<ExternalJobState>(['succeeded', 'failed', 'cancelled', 'preempted', 'lost']);

/** True for states a job never leaves. */
export function isFinalExternalState(state: ExternalJobState): boolean {
  return finalStates.has(state);
}

function baseState(state: string): string {
  // Newer versions report a list (`["RUNNING","COMPLETING"]`) flattened by the mapping to the first entry;
  // 22.05 may append flags with `+`.
  return state.split('+')[0]!.trim().toUpperCase();
}

/** The status of a Slurm job submitted under `idempotencyKey`. */
export function toExternalStatus(job: SlurmJob, idempotencyKey: string): ExternalJobStatus {
  const slurmState = baseState(job.state);
  const entry = stateTable[slurmState];
  const state = entry?.state ?? 'pending';
  const status: ExternalJobStatus = { idempotencyKey, externalId: job.jobId, state };
  const nodeNames = expandHostlist(job.nodes);
  if (nodeNames.length > 0) status.nodeNames = nodeNames;
  // Slurm sets start_time on a job cancelled while pending (= end_time) and an estimate on pending jobs:
  // only a job that got nodes really started.
  if (state !== 'pending' && job.startTime > 0 && nodeNames.length > 0) status.startedAt = job.startTime * 1000;
  const final = isFinalExternalState(state);
  if (final && job.endTime > 0) status.endedAt = job.endTime * 1000;
  const wait = final && job.exitCodeRaw !== undefined ? decodeWaitStatus(job.exitCodeRaw) : undefined;
  if (wait) status.exitCode = wait.exitCode;
  const reason = reasonFor(slurmState, entry?.reason, job.stateReason, wait);
  if (reason) status.reason = reason;
  return status;
}

function reasonFor(slurmState: string, fixed: string | undefined, stateReason: string, wait?: WaitStatus): string | undefined {
  if (fixed) return fixed;
  const slurmReason = stateReason && stateReason !== 'None' ? `slurm:${stateReason}` : undefined;
  if (!(slurmState in stateTable)) return `slurm:unknown_state:${slurmState}`;
  if (slurmState === 'FAILED') return wait?.signalName ? `signal:${wait.signalName}` : wait && wait.exitCode !== 0 ? 'exit_code' : slurmReason ?? 'failed';
  // Pending jobs say why (Resources, Priority, …): the answer to "why is my job pending" on this cluster.
  if (slurmState === 'PENDING') return slurmReason;
  return undefined;
}

/**
 * True for the record Slurm keeps of a submission it rejected (e.g. more GPUs than any node has): it is
 * FAILED without ever getting nodes. Such a record is no job ncg dispatched; its key stays refused.
 */
export function wasRejectedAtSubmit(job: SlurmJob): boolean {
  return baseState(job.state) === 'FAILED' && expandHostlist(job.nodes).length === 0;
}

/** The status of a job ncg once saw but Slurm no longer knows, without a final state. */
export function lostStatus(idempotencyKey: string, externalId: string): ExternalJobStatus {
  return { idempotencyKey, externalId, state: 'lost', reason: 'lost' };
}
