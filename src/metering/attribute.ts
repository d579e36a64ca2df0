/**
 * Attribution: measured GPU-seconds per job reference → ledger rows and discrepancies. Pure.
 *   - a reference naming no ncg job (a local Slurm job, a pod without the `ncg.io/job-id` label) is an
 *     `unknown-job` discrepancy and is not charged: there is no one to charge;
 *   - a reference naming a job ncg holds as ended, in a window starting at least `graceMs` after its end,
 *     is charged (the GPUs were used, and never losing a GPU-second is the ledger's promise) and flagged
 *     as an `ended-job` discrepancy for an operator to look at.
 */
import type { Discrepancy } from '../store/repositories/metering-discrepancies.js';
import type { MeteredJob } from '../store/repositories/metering-jobs.js';
import type { MeasuredRow } from '../store/repositories/metering-ledger.js';
import type { WindowMeasurement } from './measure.js';

/** What the measured windows of one cluster come to. */
export interface Attribution {
  rows: MeasuredRow[];
  discrepancies: Discrepancy[];
}

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** Every job reference seen with GPU use in `measurements`. */
export function refsOf(measurements: readonly WindowMeasurement[]): string[] {
  return [...new Set(measurements.flatMap((m) => [...m.usage.keys()]))];
}

/** Ledger rows and discrepancies for the complete windows of `measurements`. */
export function attribute(clusterId: string, measurements: readonly WindowMeasurement[], jobs: ReadonlyMap<string, MeteredJob>, graceMs: number): Attribution {
  const rows: MeasuredRow[] = [];
  const discrepancies: Discrepancy[] = [];
  for (const m of measurements) {
    if (!m.complete) continue;
    const { start, end } = m.window;
    const byJob = new Map<string, { job: MeteredJob; seconds: number; weighted: number; weight: number }>();
    for (const [ref, seconds] of m.usage) {
      if (!(seconds > 0)) continue;
      const job = jobs.get(ref);
      if (!job) {
        discrepancies.push({ clusterId, windowStart: start, windowEnd: end, kind: 'unknown-job', ref, gpuSeconds: seconds });
        continue;
      }
      if (ENDED.has(job.state) && job.endedAt !== undefined && start >= job.endedAt + graceMs) {
        discrepancies.push({ clusterId, windowStart: start, windowEnd: end, kind: 'ended-job', ref, jobId: job.id, gpuSeconds: seconds });
      }
      // Two references may name one job (its ncg id and its backend id): one row, utilisation weighted by use.
      const acc = byJob.get(job.id) ?? { job, seconds: 0, weighted: 0, weight: 0 };
      acc.seconds += seconds;
      const eff = m.efficiency.get(ref);
      if (eff !== undefined) {
        acc.weighted += eff * seconds;
        acc.weight += seconds;
      }
      byJob.set(job.id, acc);
    }
    for (const { job, seconds, weighted, weight } of byJob.values()) {
      const row: MeasuredRow = {
        jobId: job.id, clusterId, institutionId: job.institutionId, projectId: job.projectId, userId: job.userId,
        gpuType: job.gpuType, windowStart: start, windowEnd: end, gpuSeconds: seconds,
      };
      if (weight > 0) row.efficiency = Math.min(1, Math.max(0, weighted / weight));
      rows.push(row);
    }
  }
  return { rows, discrepancies };
}
