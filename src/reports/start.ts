/**
 * Reports as one running part (main.ts starts it): the report service and dashboard views, the snapshot
 * schedules (caught up at start), and two timers — rollup refresh plus snapshot catch-up check, and
 * cluster health sampling (and pruning of old "up" samples). Timers are unref'd and never overlap themselves; failures are logged and
 * retried on the next tick.
 */
import type { InventoryService } from '../services/inventory-service.js';
import { pruneHealthSamples } from '../store/repositories/cluster-health.js';
import { refreshKpiRollups } from '../store/repositories/kpi-rollups.js';
import type { Db } from '../store/rows.js';
import type { ReportsConfig } from './config.js';
import { DashboardViews } from './dashboard-views.js';
import { sampleClusterHealth } from './health-sampler.js';
import { ReportService } from './report-service.js';
import { SnapshotSchedule } from './snapshot-schedule.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What reports need from the process. */
export interface ReportsDeps {
  db: Db;
  now: () => number;
  config: ReportsConfig;
  inventory: Pick<InventoryService, 'listClusters'>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Running reports. */
export interface RunningReports {
  service: ReportService;
  views: DashboardViews;
  snapshots: SnapshotSchedule;
  close(): Promise<void>;
}

function every(ms: number, work: () => Promise<unknown>, onError: (err: unknown) => void): () => Promise<void> {
  let busy: Promise<unknown> | undefined;
  const run = () => {
    busy ??= work()
      .catch(onError)
      .finally(() => (busy = undefined));
  };
  const timer = setInterval(run, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await busy;
  };
}

/** Start reports: build rollups, catch up snapshots, start the schedules and timers. */
export async function startReports(deps: ReportsDeps): Promise<RunningReports> {
  const service = new ReportService({ db: deps.db, now: deps.now, config: deps.config });
  const views = new DashboardViews({ db: deps.db, reports: service, inventory: deps.inventory });
  const snapshots = new SnapshotSchedule({ db: deps.db, now: deps.now, config: deps.config.snapshots, build: (p) => service.pillar5Of(p), log: deps.log });
  await refreshKpiRollups(deps.db);
  // A sample stands for the grid time since the previous one (sim time may run faster than the timer).
  let lastSample: number | undefined;
  let lastPrune = Number.NEGATIVE_INFINITY;
  const sample = async () => {
    const now = deps.now();
    const interval = lastSample === undefined ? deps.config.healthSampleSeconds : Math.max(1, Math.round((now - lastSample) / 1000));
    lastSample = now;
    await sampleClusterHealth(deps.db, deps.inventory, now, interval);
    // Old "up" samples go once an hour (grid time), so the table stays about retention × clusters × samples/day.
    if (now - lastPrune >= HOUR_MS) {
      lastPrune = now;
      await pruneHealthSamples(deps.db, now - deps.config.healthRetentionDays * DAY_MS);
    }
  };
  await sample().catch((err: unknown) => deps.log.warn({ err }, 'cluster health sample failed'));
  await snapshots.start().catch((err: unknown) => deps.log.warn({ err }, 'KPI snapshot catch-up failed; retried on the next tick'));
  const stops = [
    every(deps.config.rollupIntervalSeconds * 1000, async () => {
      await refreshKpiRollups(deps.db);
      await snapshots.tick();
    }, (err) => deps.log.warn({ err }, 'KPI rollup refresh failed; retried on the next tick')),
    every(deps.config.healthSampleSeconds * 1000, sample, (err) => deps.log.warn({ err }, 'cluster health sample failed')),
  ];
  return {
    service,
    views,
    snapshots,
    close: async () => {
      await snapshots.stop();
      await Promise.all(stops.map((s) => s()));
    },
  };
}
