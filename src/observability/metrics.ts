/**
 * ncg's own Prometheus metrics (prom-client). One registry per server instance so tests can run several
 * servers in one process without metric-name clashes.
 */
import { Registry, Gauge, collectDefaultMetrics } from 'prom-client';

import { NCG_VERSION } from '../version.js';

export { NCG_VERSION };

/** A registry with process default metrics and ncg_build_info. */
export function createMetricsRegistry(info: { database: string; grid: string }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ncg_process_' });
  // prom-client exports these three sums as gauges named `_total`, which `promtool check metrics` rejects
  // (that suffix is for counters); the per-type gauges without the suffix carry the same numbers.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(`ncg_process_${name}`);
  const build = new Gauge({
    name: 'ncg_build_info',
    help: 'Build and runtime information of this ncg process (value is always 1).',
    labelNames: ['version', 'node_version', 'database', 'grid'] as const,
    registers: [registry],
  });
  build.set({ version: NCG_VERSION, node_version: process.version, database: info.database, grid: info.grid }, 1);
  return registry;
}
