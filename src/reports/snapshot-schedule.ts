/**
 * The snapshot schedules: node-cron tasks (wall clock, configurable) that snapshot the period that just
 * closed, and a catch-up that writes what a schedule missed while the server was down — at start, and on
 * every rollup tick (cheap: one small query), which also keeps snapshots coming when sim time runs ahead
 * of the wall clock.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { snapshotPeriods } from '../store/repositories/kpi-snapshots.js';
import type { Db } from '../store/rows.js';
import type { ReportsConfig } from './config.js';
import { lastCompletePeriod, type Period } from './period.js';
import type { Pillar5Report } from './pillar5.js';
import { missedPeriods, SNAPSHOT_KIND, writeSnapshot } from './snapshots.js';

/** What the schedule needs. */
export interface SnapshotScheduleDeps {
  db: Db;
  now: () => number;
  config: ReportsConfig['snapshots'];
  /** Build the Pillar-5 document of a period (with rollups refreshed first). */
  build: (period: Period) => Promise<Pillar5Report>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Runs the snapshot schedules. */
export class SnapshotSchedule {
  private tasks: ScheduledTask[] = [];
  private running: Promise<string[]> | undefined;
  private readonly lastSeen = new Map<string, string>();

  constructor(private readonly deps: SnapshotScheduleDeps) {}

  /** Catch up, then start the cron tasks. */
  async start(): Promise<string[]> {
    if (!this.deps.config.enabled) return [];
    const written = await this.catchUp();
    this.tasks = this.deps.config.schedules.map((s) =>
      cron.schedule(s.cron, () => void this.catchUp().catch((err: unknown) => this.deps.log.warn({ err }, 'scheduled KPI snapshot failed; retried on the next tick')), {
        timezone: this.deps.config.timezone,
        name: `ncg-kpi-snapshot-${s.period}`,
        noOverlap: true,
      }),
    );
    return written;
  }

  /** Catch up when a schedule's last closed period changed since the last look (cheap to call often). */
  async tick(): Promise<string[]> {
    if (!this.deps.config.enabled) return [];
    const now = this.deps.now();
    const changed = this.deps.config.schedules.some((s) => this.lastSeen.get(s.period) !== lastCompletePeriod(s.period, now).name);
    return changed ? this.catchUp() : [];
  }

  /** Write every missed snapshot (one catch-up at a time); returns the periods written. */
  catchUp(): Promise<string[]> {
    this.running ??= this.doCatchUp().finally(() => (this.running = undefined));
    return this.running;
  }

  private async doCatchUp(): Promise<string[]> {
    const now = this.deps.now();
    const written = await snapshotPeriods(this.deps.db, SNAPSHOT_KIND);
    const out: string[] = [];
    for (const s of this.deps.config.schedules) {
      for (const period of missedPeriods(s.period, now, written, this.deps.config.catchUpLimit)) {
        const result = await writeSnapshot(this.deps.db, await this.deps.build(period), period);
        written.add(period.name);
        if (result.created) {
          out.push(period.name);
          this.deps.log.info({ period: period.name, sha256: result.snapshot.sha256 }, `KPI snapshot ${period.name} written`);
        }
      }
      this.lastSeen.set(s.period, lastCompletePeriod(s.period, now).name);
    }
    return out;
  }

  /** Stop the cron tasks (an in-flight catch-up finishes). */
  async stop(): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks = [];
    await this.running?.catch(() => undefined);
  }
}
