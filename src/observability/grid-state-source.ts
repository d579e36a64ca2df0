/**
 * The GridStateSource main.ts gives NcgMetrics: database state from the store, and live pools and
 * reachability from the inventory service (each adapter's own inventory call, with its timeouts).
 */
import type { InventoryService } from '../services/inventory-service.js';
import { readGridMetricsState, transitionsSince } from '../store/repositories/metrics-state.js';
import type { Db } from '../store/rows.js';
import type { GridStateSource } from './grid-collectors.js';

/** A source over the store and, when given, the live inventory. */
export function gridStateSource(db: Db, inventory?: Pick<InventoryService, 'listClusters'>): GridStateSource {
  const source: GridStateSource = {
    read: (now) => readGridMetricsState(db, now),
    transitionsSince: (afterId) => transitionsSince(db, afterId),
  };
  if (inventory) {
    source.inventory = async () => {
      const clusters = await inventory.listClusters();
      return {
        clusters: clusters.map((c) => ({ clusterId: c.id, reachable: c.reachable })),
        pools: clusters.flatMap((c) => c.pools.map((p) => ({ clusterId: c.id, poolId: p.id, gpuType: p.gpuType, totalGpus: p.totalGpus, freeGpus: p.freeGpus }))),
      };
    };
  }
  return source;
}
