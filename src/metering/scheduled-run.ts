/**
 * One scheduled metering pass (every minute by default):
 *   1. give up on windows pending longer than `pendingMaxAgeSeconds` (their estimates become final);
 *   2. per cluster, meter the new windows since its last one (or since `lookbackSeconds` ago the first
 *      time), up to `lagSeconds` before now, plus the windows still pending that are due (dueForRetry);
 *   3. sweep: reverse estimates written since the last pass that overlap windows measured earlier — the
 *      control loop charges a run's last window when it sees the run end, which can be after the meter
 *      measured that window. The sweep's watermark lives in the `meta` table, so restarts keep it.
 */
import { getMeta, setMeta } from '../store/repositories/meta.js';
import { reverseSupersededEstimates } from '../store/repositories/metering-ledger.js';
import { expirePendingWindows, pendingWindows, windowWatermarks, type PendingWindow } from '../store/repositories/metering-windows.js';
import type { Db } from '../store/rows.js';
import type { MeterCluster } from './cluster-targets.js';
import type { MeteringConfig } from './config.js';
import type { Meter } from './meter.js';
import type { MeterReport } from './meter-report.js';
import { applyUsageDeltas } from './usage-deltas.js';
import { alignDown, windowsBetween, type Window } from './windows.js';

/** `meta` key of the sweep watermark (epoch ms of the last pass's start). */
export const SWEEP_WATERMARK_KEY = 'metering.sweptUntil';

/** Estimates written this long before the watermark are swept again (transactions that committed late). */
const SWEEP_MARGIN_MS = 10 * 60_000;

/**
 * A pending window is retried on every pass for its first three attempts, then with a backoff doubling
 * from one step up to an hour: a cluster whose exporters stay down does not cost a query per window per
 * minute for days.
 */
export function dueForRetry(w: PendingWindow, wallNow: number, stepMs: number): boolean {
  if (w.attempts <= 3) return true;
  return wallNow - w.lastTriedAt >= Math.min(stepMs * 2 ** (w.attempts - 4), 3_600_000);
}

/** What a scheduled pass needs besides the meter. */
export interface ScheduledRunDeps {
  db: Db;
  meter: Meter;
  config: MeteringConfig;
  clusters: () => Promise<MeterCluster[]>;
  halfLifeSeconds: number;
  now: () => number;
}

/** Run one scheduled pass. */
export async function runScheduledPass(deps: ScheduledRunDeps): Promise<MeterReport> {
  const { db, config } = deps;
  const now = deps.now();
  const stepMs = config.stepSeconds * 1000;
  const expired = await expirePendingWindows(db, now - config.pendingMaxAgeSeconds * 1000);

  const upTo = alignDown(now - config.lagSeconds * 1000, stepMs);
  // Compared with times the database recorded (created_at, updated_at): wall time, not the grid clock.
  const wall = Date.now();
  const watermarks = await windowWatermarks(db);
  const pending = await pendingWindows(db);
  // Enough per pass to catch up a day of 1-minute windows in a few passes, without one huge pass.
  const maxNew = config.maxWindowsPerQuery * 6;
  const plan = new Map<string, Window[]>();
  for (const cluster of await deps.clusters()) {
    const from = watermarks.get(cluster.id) ?? alignDown(upTo - config.lookbackSeconds * 1000, stepMs);
    const fresh = windowsBetween(from, upTo, stepMs).slice(0, maxNew);
    const retry = pending.filter((w) => w.clusterId === cluster.id && w.end <= upTo && dueForRetry(w, wall, stepMs)).map((w) => ({ start: w.start, end: w.end }));
    const seen = new Set(fresh.map((w) => w.start));
    plan.set(cluster.id, [...fresh, ...retry.filter((w) => !seen.has(w.start))]);
  }
  const report = await deps.meter.meterPlan(plan, { force: false, now });
  report.windowsExpired = expired;

  const since = Number((await getMeta(db, SWEEP_WATERMARK_KEY)) ?? wall - 86_400_000) - SWEEP_MARGIN_MS;
  await db.transaction().execute(async (tx) => {
    const reversals = await reverseSupersededEstimates(tx, { writtenSince: since });
    await applyUsageDeltas(tx, reversals, now, deps.halfLifeSeconds);
    report.reversals += reversals.length;
    report.gpuSecondsReversed -= reversals.reduce((s, r) => s + r.gpuSeconds, 0);
    await setMeta(tx, SWEEP_WATERMARK_KEY, String(wall));
  });
  return report;
}
