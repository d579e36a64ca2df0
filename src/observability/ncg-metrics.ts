/**
 * ncg's own Prometheus metrics (prom-client, `ncg_` prefix, `_total` counters, `_seconds` units, bounded
 * labels). Two kinds:
 *   - events, updated by whoever sees them: the control loop (cycle duration, dispatch errors, cluster
 *     up/down) and the meter (GPU-seconds metered, Prometheus errors, runs) — methods of this class;
 *   - state, read on scrape (grid-collectors.ts): pending jobs, GPUs allocated, pool GPUs total and
 *     available, job state transitions, ledger lag, pending windows, discrepancies, budget use.
 * The whole set passes `promtool check metrics` (test/integration/metering/metrics-lint.test.ts).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ControlMetrics } from '../control/metrics.js';
import type { CycleReport } from '../control/control-cycle.js';
import type { MeterObserver, MeterReport } from '../metering/meter-report.js';
import type { Discrepancy } from '../store/repositories/metering-discrepancies.js';
import type { AppendedRow } from '../store/repositories/metering-ledger.js';
import { registerGridCollectors, type GridStateSource } from './grid-collectors.js';

/** Options: where scrape-time state comes from (none: only the event metrics), and the clock. */
export interface NcgMetricsOptions {
  source?: GridStateSource;
  now?: () => number;
}

/** ncg's metrics on one registry; also the meter's observer. */
export class NcgMetrics implements MeterObserver {
  private readonly cycleDuration: Histogram;
  private readonly cycleErrors: Counter;
  private readonly dispatches: Counter;
  private readonly dispatchErrors: Counter<'cluster' | 'kind'>;
  private readonly meteredGpuSeconds: Counter<'institution' | 'cluster' | 'gpu_type'>;
  private readonly prometheusErrors: Counter<'cluster' | 'kind'>;
  private readonly meterRuns: Counter<'outcome'>;
  private readonly meterLastRun: Gauge;
  private readonly clusterUpByHand = new Map<string, number>();

  constructor(registry: Registry, options: NcgMetricsOptions = {}) {
    const r = [registry];
    this.cycleDuration = new Histogram({
      name: 'ncg_scheduling_cycle_duration_seconds', help: 'Wall time of one control cycle: observe, reconcile, decide, persist, dispatch.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: r,
    });
    this.cycleErrors = new Counter({ name: 'ncg_scheduling_cycle_errors_total', help: 'Control cycles that failed.', registers: r });
    this.dispatches = new Counter({ name: 'ncg_dispatches_total', help: 'Jobs submitted to clusters and accepted.', registers: r });
    this.dispatchErrors = new Counter({
      name: 'ncg_dispatch_errors_total', help: 'Dispatches a cluster refused (kind=refused) or did not answer (kind=unavailable), per cluster.',
      labelNames: ['cluster', 'kind'] as const, registers: r,
    });
    this.meteredGpuSeconds = new Counter({
      name: 'ncg_metered_gpu_seconds_total', help: 'GPU-seconds measured through Prometheus and written to the ledger, per institution, cluster and GPU type.',
      labelNames: ['institution', 'cluster', 'gpu_type'] as const, registers: r,
    });
    this.prometheusErrors = new Counter({
      name: 'ncg_metering_prometheus_errors_total', help: 'Metering queries that failed: Prometheus unavailable (kind=unavailable) or the query refused (kind=query), per cluster.',
      labelNames: ['cluster', 'kind'] as const, registers: r,
    });
    this.meterRuns = new Counter({ name: 'ncg_metering_runs_total', help: 'Metering passes, by outcome (ok, or errors when a cluster failed).', labelNames: ['outcome'] as const, registers: r });
    this.meterLastRun = new Gauge({ name: 'ncg_metering_last_run_timestamp_seconds', help: 'When the last metering pass finished (Unix time).', registers: r });
    const now = options.now ?? Date.now;
    const live = options.source ? registerGridCollectors(registry, options.source, now) : undefined;
    const byHand = this.clusterUpByHand;
    new Gauge({
      name: 'ncg_cluster_up', help: 'Whether ncg can reach the cluster (1) or not (0).', labelNames: ['cluster'] as const, registers: r,
      async collect() {
        this.reset();
        // The inventory's reachability where wired; else what the control loop last reported.
        if (live) for (const c of (await live()).clusters) this.set({ cluster: c.clusterId }, c.reachable ? 1 : 0);
        else for (const [cluster, up] of byHand) this.set({ cluster }, up);
      },
    });
  }

  /** One control cycle took `seconds`. */
  observeCycle(seconds: number): void {
    this.cycleDuration.observe(seconds);
  }

  /** A control cycle failed. */
  cycleFailed(): void {
    this.cycleErrors.inc();
  }

  /** `n` jobs were accepted by clusters. */
  dispatched(n = 1): void {
    this.dispatches.inc(n);
  }

  /** A dispatch to `clusterId` was refused or went unanswered. */
  dispatchError(clusterId: string, kind: 'refused' | 'unavailable', n = 1): void {
    this.dispatchErrors.inc({ cluster: clusterId, kind }, n);
  }

  /** Whether ncg reaches `clusterId` (used when no live inventory is wired). */
  setClusterUp(clusterId: string, up: boolean): void {
    this.clusterUpByHand.set(clusterId, up ? 1 : 0);
  }

  /** The ControlMetrics the controller takes (src/control/metrics.ts), backed by these metrics. */
  controlMetrics(clusterIds: () => readonly string[] = () => []): ControlMetrics {
    return {
      observe: (report: CycleReport, seconds: number) => {
        this.observeCycle(seconds);
        this.dispatched(report.accepted);
        for (const f of report.dispatchFailures) this.dispatchError(f.clusterId, f.kind, f.count);
        const down = new Set(report.unavailableClusters);
        for (const id of new Set([...clusterIds(), ...down])) this.setClusterUp(id, !down.has(id));
      },
      failed: () => this.cycleFailed(),
    };
  }

  /** MeterObserver: measured rows were inserted. */
  charged(rows: readonly AppendedRow[]): void {
    for (const row of rows) this.meteredGpuSeconds.inc({ institution: row.institutionId, cluster: row.clusterId, gpu_type: row.gpuType }, row.gpuSeconds);
  }

  /** MeterObserver: discrepancies are counted from the database on scrape. */
  discrepancies(_items: readonly Discrepancy[]): void {}

  /** MeterObserver: a query failed. */
  prometheusError(clusterId: string, kind: 'unavailable' | 'query'): void {
    this.prometheusErrors.inc({ cluster: clusterId, kind });
  }

  /** MeterObserver: a pass finished. */
  runFinished(report: MeterReport): void {
    this.meterRuns.inc({ outcome: report.errors.length > 0 ? 'errors' : 'ok' });
    this.meterLastRun.set(Date.now() / 1000);
  }
}
