/**
 * What the control loop reports to metrics after each cycle. The Prometheus side is NcgMetrics
 * (src/observability/ncg-metrics.ts: `controlMetrics()`), so every ncg metric lives on one registry.
 */
import type { CycleReport } from './control-cycle.js';

/** Metrics the controller updates after each cycle. */
export interface ControlMetrics {
  /** Record one finished cycle and how long it took (real seconds). */
  observe(report: CycleReport, seconds: number): void;
  /** Record a cycle that failed. */
  failed(): void;
}
