/**
 * The meter: for each cluster and each aligned window, measure GPU-seconds per job through Prometheus and
 * append them to the ledger; where Prometheus is down or its data has gaps, keep allocation estimates and
 * retry the window later. See docs/metering.md for the rules; the steps live in their own files:
 *   measure.ts (PromQL) → attribute.ts (jobs, discrepancies) → ledger-writer.ts (one transaction per span).
 */
import { forEachBounded } from '../control/bounded.js';
import { jobsByRefs } from '../store/repositories/metering-jobs.js';
import { windowStatuses } from '../store/repositories/metering-windows.js';
import type { AppendedRow } from '../store/repositories/metering-ledger.js';
import type { Db } from '../store/rows.js';
import { attribute, refsOf } from './attribute.js';
import { clusterQueries, type MeterCluster } from './cluster-targets.js';
import type { MeteringConfig } from './config.js';
import { measureSpan } from './measure.js';
import { emptyReport, type MeterObserver, type MeterReport } from './meter-report.js';
import { PrometheusClient, PrometheusQueryError, PrometheusUnavailableError } from './prometheus-client.js';
import { writeEstimated, writeMeasured, type EstimatedWrite, type WriteContext } from './ledger-writer.js';
import { contiguousSpans, windowsBetween, type Window } from './windows.js';

/** The logging the meter does (a pino logger fits). */
export interface MeterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What a meter needs. */
export interface MeterDeps {
  db: Db;
  config: MeteringConfig;
  /** The clusters to meter (the store's list). */
  clusters: () => Promise<MeterCluster[]>;
  /** Fair-share half-life, for moving decayed usage by what metering corrects. */
  halfLifeSeconds: number;
  now?: () => number;
  observer?: MeterObserver;
  log?: MeterLogger;
  /** A client for Prometheus (tests inject one); default from `config.prometheus`. */
  client?: PrometheusClient;
}

/** Options of one metering pass over a range. */
export interface MeterRangeOptions {
  /** Query windows already measured too (re-metering inserts nothing new; a check). Default false. */
  force?: boolean;
  /** Only these clusters. */
  clusterIds?: readonly string[];
}

const silent: MeterLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Meters clusters through Prometheus into the ledger. */
export class Meter {
  readonly client: PrometheusClient;
  private readonly now: () => number;
  private readonly log: MeterLogger;

  constructor(private readonly deps: MeterDeps) {
    const p = deps.config.prometheus;
    this.client = deps.client ?? new PrometheusClient({ url: p.url, timeoutMs: p.timeoutMs, retries: p.retries, retryBackoffMs: p.retryBackoffMs, headers: p.headers });
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? silent;
  }

  /** Window length in ms. */
  get stepMs(): number {
    return this.deps.config.stepSeconds * 1000;
  }

  /** Meter the aligned windows inside [from, to) that have ended, per cluster: new and pending ones (all with `force`). */
  async meterRange(from: number, to: number, options: MeterRangeOptions = {}): Promise<MeterReport> {
    const now = this.now();
    const windows = windowsBetween(from, to, this.stepMs).filter((w) => w.end <= now);
    const plan = new Map<string, Window[]>();
    for (const cluster of await this.selectClusters(options.clusterIds)) plan.set(cluster.id, windows);
    return this.meterPlan(plan, { force: options.force ?? false, now });
  }

  /** Meter given windows per cluster (the scheduler's plan); windows already measured are skipped unless `force`. */
  async meterPlan(plan: ReadonlyMap<string, readonly Window[]>, opts: { force: boolean; now?: number }): Promise<MeterReport> {
    const started = performance.now();
    const now = opts.now ?? this.now();
    const report = emptyReport();
    const clusters = new Map((await this.deps.clusters()).map((c) => [c.id, c]));
    const ctx: WriteContext = { now, halfLifeSeconds: this.deps.halfLifeSeconds };
    await forEachBounded([...plan], this.deps.config.concurrency, async ([clusterId, windows]) => {
      const cluster = clusters.get(clusterId);
      if (!cluster || windows.length === 0) return;
      try {
        await this.meterCluster(cluster, windows, opts.force, ctx, report);
      } catch (err) {
        report.errors.push({ clusterId, message: (err as Error).message });
        this.log.error({ clusterId, err: (err as Error).message }, 'metering a cluster failed');
      }
    });
    report.seconds = (performance.now() - started) / 1000;
    this.deps.observer?.runFinished(report);
    return report;
  }

  private async meterCluster(cluster: MeterCluster, windows: readonly Window[], force: boolean, ctx: WriteContext, report: MeterReport): Promise<void> {
    const { config } = this.deps;
    const sorted = [...windows].sort((a, b) => a.start - b.start);
    const statuses = await windowStatuses(this.deps.db, cluster.id, sorted[0]!.start, sorted[sorted.length - 1]!.end);
    const todo = force ? sorted : sorted.filter((w) => statuses.get(w.start) !== 'measured' && statuses.get(w.start) !== 'estimated');
    const queries = clusterQueries(cluster, config);
    const target = { clusterId: cluster.id, client: this.client, profile: queries.profile, values: queries.values };
    for (const span of contiguousSpans(todo, config.maxWindowsPerQuery)) {
      const bounds = { start: span[0]!.start, end: span[span.length - 1]!.end };
      // Estimates are written only for windows never measured: a forced re-check must not add any.
      const unmeasured = (ws: readonly Window[]) => ws.filter((w) => statuses.get(w.start) !== 'measured');
      let measurements;
      try {
        measurements = await measureSpan(target, span, config);
      } catch (err) {
        if (!(err instanceof PrometheusUnavailableError || err instanceof PrometheusQueryError)) throw err;
        const kind = err instanceof PrometheusQueryError ? 'query' : 'unavailable';
        this.deps.observer?.prometheusError(cluster.id, kind);
        (kind === 'query' ? this.log.error : this.log.warn).call(this.log, { clusterId: cluster.id, err: err.message }, 'Prometheus did not answer; writing allocation estimates');
        const estimated = await writeEstimated(this.deps.db, cluster.id, unmeasured(span), err.message, ctx);
        addEstimated(report, estimated, unmeasured(span).length);
        report.errors.push({ clusterId: cluster.id, message: err.message });
        continue;
      }
      const complete = measurements.filter((m) => m.complete);
      const gaps = unmeasured(measurements.filter((m) => !m.complete).map((m) => m.window));
      // Estimates first: the measured write's sweep then also takes back their share of this span's measured windows.
      addEstimated(report, await writeEstimated(this.deps.db, cluster.id, gaps, 'incomplete data: a scrape target of the cluster was down or not fresh', ctx), gaps.length);
      const jobs = await jobsByRefs(this.deps.db, cluster.id, refsOf(complete));
      const attribution = attribute(cluster.id, complete, jobs, config.endedJobGraceSeconds * 1000);
      const written = await writeMeasured(this.deps.db, cluster.id, bounds, complete.map((m) => m.window), attribution, ctx);
      report.windowsMeasured += complete.length;
      report.rowsInserted += written.inserted.length;
      report.gpuSecondsMeasured += written.inserted.reduce((s, r) => s + r.gpuSeconds, 0);
      addReversals(report, written.reversals);
      report.discrepancies += written.discrepancies.length;
      this.deps.observer?.charged(written.inserted);
      this.deps.observer?.discrepancies(written.discrepancies);
    }
  }

  private async selectClusters(ids?: readonly string[]): Promise<MeterCluster[]> {
    const all = await this.deps.clusters();
    return ids === undefined ? all : all.filter((c) => ids.includes(c.id));
  }
}

function addReversals(report: MeterReport, reversals: readonly AppendedRow[]): void {
  report.reversals += reversals.length;
  report.gpuSecondsReversed -= reversals.reduce((s, r) => s + r.gpuSeconds, 0);
}

function addEstimated(report: MeterReport, written: EstimatedWrite, windows: number): void {
  report.estimateRows += written.estimateRows;
  report.windowsPending += windows;
  addReversals(report, written.reversals);
}
