/**
 * Samples each cluster's health (state in the store, adapter reachable, nodes and GPUs) for the cluster
 * page's history and the down time behind GPU-hours available. One sample per cluster per interval,
 * stamped with the grid's clock.
 */
import type { InventoryService } from '../services/inventory-service.js';
import { recordHealthSamples, type HealthSample } from '../store/repositories/cluster-health.js';
import type { Db } from '../store/rows.js';

/** Take one sample of every cluster now and store it; returns the samples. */
export async function sampleClusterHealth(db: Db, inventory: Pick<InventoryService, 'listClusters'>, now: number, intervalSeconds: number): Promise<HealthSample[]> {
  const clusters = await inventory.listClusters();
  const samples = clusters.map((c): HealthSample => ({
    clusterId: c.id,
    at: now,
    state: c.state,
    reachable: c.reachable,
    nodesTotal: c.pools.reduce((s, p) => s + p.nodes, 0),
    nodesHealthy: c.pools.reduce((s, p) => s + p.healthyNodes, 0),
    gpusTotal: c.totalGpus,
    gpusFree: c.freeGpus,
    intervalSeconds,
  }));
  await recordHealthSamples(db, samples);
  return samples;
}
