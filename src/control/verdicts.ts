/**
 * Persisting the "why is my job pending" answers: for every job left pending, `reason` and `reason_data`
 * `{ position, estimatedStart?, message, factors: {fairshare, age, qos, size}, priority }` plus the
 * `priority` column — exactly what the job API and `GET /v1/queue` read.
 *
 * Only rows that changed are written, so a 100,000-job queue is not rewritten every cycle. Two things drift
 * every cycle without meaning much: the age factor (hence the priority) and, when a job near the top starts,
 * every position below it. So between full refreshes a row is rewritten when its reason, message or
 * estimated start changed, its priority moved by 1 or more, or its position moved by more than 2 % (any move
 * within the first 50); every `verdictRefreshCycles` cycles any change at all is written.
 */
import type { CycleDecisions, PendingVerdict, PriorityBreakdown } from '../scheduler/types.js';
import type { JobRecord } from '../store/repositories/jobs.js';
import type { PendingVerdictRow } from '../store/repositories/control-jobs.js';

/** Round for storage: enough digits to explain, few enough that float noise is not a change. */
function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The stored form of one verdict. */
export function verdictRow(v: PendingVerdict, p: PriorityBreakdown | undefined): PendingVerdictRow {
  const priority = round(p?.priority ?? 0);
  const data: Record<string, unknown> = {
    position: v.position,
    message: v.message,
    factors: {
      fairshare: round(p?.factors.fairshare ?? 0),
      age: round(p?.factors.age ?? 0),
      qos: round(p?.factors.qos ?? 0),
      size: round(p?.factors.size ?? 0),
    },
    priority,
  };
  if (v.estimatedStart !== undefined && Number.isFinite(v.estimatedStart)) data.estimatedStart = v.estimatedStart;
  return { jobId: v.jobId, reason: v.reason, reasonData: data, priority };
}

/** Does the stored verdict of `job` differ enough from `row` to be rewritten? */
export function verdictChanged(job: JobRecord, row: PendingVerdictRow, fullRefresh: boolean): boolean {
  const old = job.reasonData ?? {};
  const next = row.reasonData;
  if (job.reason !== row.reason || old['message'] !== next['message'] || old['estimatedStart'] !== next['estimatedStart']) return true;
  const oldPos = old['position'];
  const newPos = next['position'] as number;
  if (typeof oldPos !== 'number' || job.priority === undefined) return true;
  if (fullRefresh) return oldPos !== newPos || job.priority !== row.priority || !sameFactors(old['factors'], next['factors']);
  return Math.abs(oldPos - newPos) > Math.floor(newPos * 0.02) || Math.abs(job.priority - row.priority) >= 1;
}

/** Factor objects compared by value (jsonb does not keep key order, so no string comparison). */
function sameFactors(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return ['fairshare', 'age', 'qos', 'size'].every((k) => x[k] === y[k]);
}

/** The verdict rows of this cycle that need writing. */
export function changedVerdicts(decisions: CycleDecisions, jobs: ReadonlyMap<string, JobRecord>, fullRefresh: boolean): PendingVerdictRow[] {
  const out: PendingVerdictRow[] = [];
  for (const v of decisions.pending) {
    const job = jobs.get(v.jobId);
    if (!job) continue;
    // A verdict's position is its entry in the breakdowns (1-based), so no map by job id is needed.
    const row = verdictRow(v, decisions.priorities.at(v.position - 1));
    if (verdictChanged(job, row, fullRefresh)) out.push(row);
  }
  return out;
}
