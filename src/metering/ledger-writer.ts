/**
 * The meter's two ways of writing a span of windows of one cluster:
 *   - measured: in ONE transaction, the measured rows, the discrepancies, the windows marked `measured`,
 *     the reversals of every estimate's share of those windows, and fair share moved by the difference —
 *     so no reader ever sees a window both measured and estimated;
 *   - estimated (Prometheus down, or its data has gaps): the windows are marked `pending` first, then each
 *     run on the cluster is charged from its start/end (GPUs × time) through the control loop's own
 *     usage chain (src/control/usage-recorder.ts): one chain per job, extended under one lock, so an
 *     estimate the loop already wrote is never written twice.
 */
import { recordUsage } from '../control/usage-recorder.js';
import { recordDiscrepancies, type Discrepancy } from '../store/repositories/metering-discrepancies.js';
import { jobsRunOn } from '../store/repositories/metering-jobs.js';
import { insertMeasuredRows, reverseSupersededEstimates, type AppendedRow } from '../store/repositories/metering-ledger.js';
import { recordWindows } from '../store/repositories/metering-windows.js';
import type { Db } from '../store/rows.js';
import type { Attribution } from './attribute.js';
import { applyUsageDeltas } from './usage-deltas.js';
import type { Window } from './windows.js';

/** What writing a measured span appended. */
export interface MeasuredWrite {
  inserted: AppendedRow[];
  reversals: AppendedRow[];
  discrepancies: Discrepancy[];
}

/** Clock and decay for fair-share updates. */
export interface WriteContext {
  now: number;
  halfLifeSeconds: number;
}

/** Write the measured windows `measured` (all within `span`) of `clusterId` and supersede their estimates. */
export async function writeMeasured(db: Db, clusterId: string, span: Window, measured: readonly Window[], attribution: Attribution, ctx: WriteContext): Promise<MeasuredWrite> {
  if (measured.length === 0) return { inserted: [], reversals: [], discrepancies: [] };
  return db.transaction().execute(async (tx) => {
    const inserted = await insertMeasuredRows(tx, attribution.rows);
    const discrepancies = await recordDiscrepancies(tx, attribution.discrepancies);
    await recordWindows(tx, measured.map((w) => ({ clusterId, ...w })), 'measured');
    const reversals = await reverseSupersededEstimates(tx, { clusterId, from: span.start, to: span.end });
    await applyUsageDeltas(tx, [...inserted, ...reversals], ctx.now, ctx.halfLifeSeconds);
    return { inserted, reversals, discrepancies };
  });
}

/** What writing estimates for pending windows appended. */
export interface EstimatedWrite {
  estimateRows: number;
  /** Reversals of the new estimates' overlap with windows measured before. */
  reversals: AppendedRow[];
}

/**
 * Mark `windows` of `clusterId` pending with `reason`, then make sure every run the store knows on the
 * cluster is charged by estimate up to the end of the windows (or its end). A new estimate may reach back
 * over windows measured earlier (a run with no estimate yet starts its chain at its start): those
 * overlaps are reversed at once, so no GPU-second is ever both measured and estimated.
 */
export async function writeEstimated(db: Db, clusterId: string, windows: readonly Window[], reason: string, ctx: WriteContext): Promise<EstimatedWrite> {
  if (windows.length === 0) return { estimateRows: 0, reversals: [] };
  await recordWindows(db, windows.map((w) => ({ clusterId, ...w })), 'pending', reason.slice(0, 1_000));
  const from = Math.min(...windows.map((w) => w.start));
  const to = Math.max(...windows.map((w) => w.end));
  const jobs = await jobsRunOn(db, clusterId, from, to);
  const claims = jobs.flatMap((j) => {
    const end = Math.min(to, j.endedAt ?? to, ctx.now);
    if (j.startedAt === undefined || !(end > j.startedAt)) return [];
    return [{
      jobId: j.id, institutionId: j.institutionId, projectId: j.projectId, userId: j.userId, clusterId, gpuType: j.gpuType,
      gpus: j.gpus, startedAt: j.startedAt, end, minWindowMs: 0,
    }];
  });
  const recorded = await recordUsage(db, claims, ctx.now, ctx.halfLifeSeconds);
  if (recorded.rows === 0) return { estimateRows: 0, reversals: [] };
  const reversals = await db.transaction().execute(async (tx) => {
    const rows = await reverseSupersededEstimates(tx, { jobIds: claims.map((c) => c.jobId) });
    await applyUsageDeltas(tx, rows, ctx.now, ctx.halfLifeSeconds);
    return rows;
  });
  return { estimateRows: recorded.rows, reversals };
}
