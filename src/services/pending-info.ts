/**
 * "Why is my job pending?" read from what the control loop writes each cycle: `jobs.reason` is a
 * PendingReason (`Resources`, `Priority`, …) and `jobs.reason_data` is
 * `{ position, estimatedStart?, message, factors?: { fairshare, age, qos, size }, priority? }`.
 * Another component writes that JSON, so it is read defensively: a field of the wrong type is left out
 * rather than passed on. A job no cycle has looked at yet says so.
 */
import type { JobState } from '../domain/types.js';

/** The factor breakdown of a job's priority (ncg's `sprio`). */
export interface PriorityFactors {
  fairshare: number;
  age: number;
  qos: number;
  size: number;
}

/** Why a pending job waits, where it stands and when it should start. */
export interface PendingInfo {
  /** A PendingReason from the last cycle, or `NotYetScheduled`. */
  reason: string;
  message: string;
  /** 1-based position among pending jobs in priority order, at the last cycle. */
  position?: number;
  /** Estimated start, epoch ms. */
  estimatedStart?: number;
  priority?: number;
  factors?: PriorityFactors;
  /** False until a scheduling cycle has looked at the job. */
  seenByCycle: boolean;
}

/** States in which a job waits in the national queue. */
export const PENDING_STATES: readonly JobState[] = ['queued', 'preempted'];

/** Reason shown before any cycle has looked at a job. */
export const NOT_YET_SCHEDULED = 'NotYetScheduled';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function instant(v: unknown): number | undefined {
  if (typeof v === 'number') return num(v);
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function factorsOf(v: unknown): PriorityFactors | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  const [fairshare, age, qos, size] = [num(f.fairshare), num(f.age), num(f.qos), num(f.size)];
  if (fairshare === undefined || age === undefined || qos === undefined || size === undefined) return undefined;
  return { fairshare, age, qos, size };
}

/** What pendingInfo reads of a job. */
export interface PendingSource {
  state: JobState;
  reason?: string;
  reasonData?: Record<string, unknown>;
  priority?: number;
}

/** The pending explanation of a job, or undefined when it is not pending. */
export function pendingInfo(job: PendingSource): PendingInfo | undefined {
  if (!PENDING_STATES.includes(job.state)) return undefined;
  if (!job.reason) {
    return {
      reason: NOT_YET_SCHEDULED,
      message:
        job.state === 'preempted'
          ? 'preempted to give GPUs back to a job within its share; it returns to the queue at the next scheduling cycle'
          : 'submitted; the scheduler has not looked at it yet (a cycle runs after each submission)',
      seenByCycle: false,
    };
  }
  const d = job.reasonData ?? {};
  const info: PendingInfo = { reason: job.reason, message: typeof d.message === 'string' ? d.message : job.reason, seenByCycle: true };
  const position = num(d.position);
  if (position !== undefined && Number.isInteger(position) && position >= 1) info.position = position;
  const start = instant(d.estimatedStart);
  if (start !== undefined) info.estimatedStart = start;
  const priority = job.priority ?? num(d.priority);
  if (priority !== undefined) info.priority = priority;
  const factors = factorsOf(d.factors);
  if (factors) info.factors = factors;
  return info;
}
