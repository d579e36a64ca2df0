/**
 * Stand up the sim clusters of a grid seed: one SimClusterAdapter per `sim` cluster, with the seed's pools.
 * All clusters share one clock, so simulated time is the same instant everywhere on the grid.
 */
import type { GridSeed } from '../../seed/types.js';
import { ScaledClock, type SimClock } from './clock.js';
import type { DcgmJobLabelStyle } from './dcgm-metrics.js';
import { SimClusterAdapter } from './sim-cluster.js';

/** Options shared by every cluster built from a seed. */
export interface CreateSimClustersOptions {
  /** Simulated seconds per real second (NCG_SIM_SPEED) when no clock is given; default 1. */
  speed?: number;
  /** A shared clock (tests pass a ManualClock); default a new ScaledClock at `speed`. */
  clock?: SimClock;
  /** Run time of jobs without a `sim` block (config `sim.defaultDurationSeconds`). */
  defaultDurationSeconds?: number;
  /** GPU utilisation of jobs without `sim.gpuUtilPct`. */
  defaultGpuUtilPct?: number;
}

/**
 * A sim cluster per `sim` cluster of the seed, keyed by cluster id, in seed order. A cluster's
 * `config.jobLabelStyle` (`hpc_job` or `kubernetes`) and `config.namespace` pick its metric labels.
 * The shared clock is not closed by closing the clusters; a ScaledClock's timers never hold the process.
 */
export function createSimClusters(seed: Pick<GridSeed, 'clusters' | 'pools'>, options: CreateSimClustersOptions = {}): Map<string, SimClusterAdapter> {
  const clock = options.clock ?? new ScaledClock({ speed: options.speed ?? 1 });
  const out = new Map<string, SimClusterAdapter>();
  for (const cluster of seed.clusters) {
    if (cluster.kind !== 'sim') continue;
    const pools = seed.pools.filter((p) => p.clusterId === cluster.id);
    const adapter = new SimClusterAdapter({
      clusterId: cluster.id,
      pools,
      clock,
      ...(options.defaultDurationSeconds !== undefined ? { defaultDurationSeconds: options.defaultDurationSeconds } : {}),
      ...(options.defaultGpuUtilPct !== undefined ? { defaultGpuUtilPct: options.defaultGpuUtilPct } : {}),
      jobLabelStyle: labelStyleOf(cluster.config),
      ...(typeof cluster.config['namespace'] === 'string' ? { namespace: cluster.config['namespace'] } : {}),
    });
    out.set(cluster.id, adapter);
  }
  return out;
}

function labelStyleOf(config: Record<string, unknown>): DcgmJobLabelStyle {
  return config['jobLabelStyle'] === 'kubernetes' ? 'kubernetes' : 'hpc_job';
}
