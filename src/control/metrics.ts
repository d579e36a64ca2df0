/**
 * The control loop's own Prometheus metrics (the ones it has at hand; metering's come with issue 7).
 * Registered on the server's registry so `/metrics` shows them next to the rest.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { CycleReport } from './control-cycle.js';

/** Metrics the controller updates after each cycle. */
export interface ControlMetrics {
  /** Record one finished cycle and how long it took (real seconds). */
  observe(report: CycleReport, seconds: number): void;
  /** Record a cycle that failed. */
  failed(): void;
}

/** Create the loop's metrics on `registry`. */
export function createControlMetrics(registry: Registry): ControlMetrics {
  const duration = new Histogram({
    name: 'ncg_scheduling_cycle_duration_seconds',
    help: 'Wall time of one control cycle: observe, reconcile, decide, persist, dispatch.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dispatchErrors = new Counter({
    name: 'ncg_dispatch_errors_total',
    help: 'Dispatches a cluster refused (kind=refused) or did not answer (kind=unavailable).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const dispatched = new Counter({ name: 'ncg_dispatches_total', help: 'Jobs submitted to clusters and accepted.', registers: [registry] });
  const cycleErrors = new Counter({ name: 'ncg_scheduling_cycle_errors_total', help: 'Control cycles that failed.', registers: [registry] });
  return {
    observe(report, seconds) {
      duration.observe(seconds);
      dispatched.inc(report.accepted);
      if (report.refused > 0) dispatchErrors.inc({ kind: 'refused' }, report.refused);
      const unknown = report.dispatched - report.accepted - report.refused;
      if (unknown > 0) dispatchErrors.inc({ kind: 'unavailable' }, unknown);
    },
    failed() {
      cycleErrors.inc();
    },
  };
}
