/**
 * The meter as the server runs it: built from the configuration and the store, on its node-cron schedule
 * when `metering.enabled`. main.ts calls `startMetering` once; `ncg meter run` builds a Meter the same way.
 */
import { listClusters } from '../store/repositories/clusters.js';
import type { Db } from '../store/rows.js';
import type { MeterCluster } from './cluster-targets.js';
import type { MeteringConfig } from './config.js';
import { Meter, type MeterLogger } from './meter.js';
import type { MeterObserver } from './meter-report.js';
import { startMeterSchedule, type MeterSchedule } from './schedule.js';
import { runScheduledPass } from './scheduled-run.js';

/** The clusters the store registers, as the meter needs them. */
export function storeClusters(db: Db): () => Promise<MeterCluster[]> {
  return async () => (await listClusters(db)).map((c) => ({ id: c.id, kind: c.kind, config: c.config }));
}

/** What the server's meter needs. */
export interface StartMeteringOptions {
  db: Db;
  config: MeteringConfig;
  halfLifeSeconds: number;
  observer?: MeterObserver;
  log?: MeterLogger;
  isLeader?: () => boolean;
}

/** A meter, and its schedule when metering is enabled. */
export interface RunningMetering {
  meter: Meter;
  schedule?: MeterSchedule;
  stop(): Promise<void>;
}

/** Build the meter; start its schedule if `config.enabled`. */
export function startMetering(o: StartMeteringOptions): RunningMetering {
  const clusters = storeClusters(o.db);
  const meter = new Meter({ db: o.db, config: o.config, clusters, halfLifeSeconds: o.halfLifeSeconds, ...(o.observer ? { observer: o.observer } : {}), ...(o.log ? { log: o.log } : {}) });
  if (!o.config.enabled) return { meter, stop: async () => {} };
  const schedule = startMeterSchedule({
    expression: o.config.schedule,
    pass: () => runScheduledPass({ db: o.db, meter, config: o.config, clusters, halfLifeSeconds: o.halfLifeSeconds, now: Date.now }),
    ...(o.isLeader ? { isLeader: o.isLeader } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  return { meter, schedule, stop: () => schedule.stop() };
}
