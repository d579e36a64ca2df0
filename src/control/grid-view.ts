/**
 * The grid as the scheduler sees it this cycle: every registered pool (store) with its live nodes
 * (adapters). Pools are matched to the adapter's inventory by name within their cluster. A pool is
 * unavailable to new work when its cluster is draining or offline in the store, has no adapter, is backed
 * off, did not answer (an adapter that throws marks its cluster failed), or did not report the pool —
 * unavailable pools still appear, so jobs that only fit there are told `ClusterUnavailable`.
 */
import type { ClusterInventory, PoolInventory } from '../adapters/port.js';
import { listClusters, type ClusterWithPools } from '../store/repositories/clusters.js';
import type { NodeState, PoolState } from '../scheduler/types.js';
import { withTimeout } from './bounded.js';
import type { ControlContext } from './context.js';

/** What the loop needs to know about a registered pool. */
export interface PoolInfo {
  id: string;
  clusterId: string;
  name: string;
  gpuType: string;
  gpusPerNode: number;
}

/** The pools of this cycle and the lookups the later steps need. */
export interface GridView {
  pools: PoolState[];
  poolsById: Map<string, PoolInfo>;
  clusters: ClusterWithPools[];
  /** Why each unavailable cluster is unavailable. */
  unavailable: Map<string, string>;
}

/** Read the store's clusters and every reachable adapter's inventory (in parallel), and join them. */
export async function readGrid(ctx: ControlContext): Promise<GridView> {
  const clusters = await listClusters(ctx.db);
  const now = ctx.now();
  const unavailable = new Map<string, string>();
  const inventories = await Promise.all(
    clusters.map(async (c): Promise<ClusterInventory | undefined> => {
      const adapter = ctx.adapters.get(c.id);
      if (!adapter) return void unavailable.set(c.id, 'no adapter for this cluster');
      if (ctx.health.isBackedOff(c.id, now)) return void unavailable.set(c.id, `backed off: ${ctx.health.lastError(c.id) ?? 'failing'}`);
      try {
        return await withTimeout(adapter.inventory(), ctx.tuning.adapterTimeoutMs, `inventory of ${c.id} timed out`);
      } catch (err) {
        const message = (err as Error).message;
        ctx.health.failure(c.id, now, message);
        unavailable.set(c.id, message);
        ctx.log.warn({ clusterId: c.id, err: message }, 'cluster inventory failed; its pools are unavailable');
        return undefined;
      }
    }),
  );
  const pools: PoolState[] = [];
  const poolsById = new Map<string, PoolInfo>();
  clusters.forEach((c, i) => {
    const inventory = inventories[i];
    if (c.state !== 'active' && !unavailable.has(c.id)) unavailable.set(c.id, `cluster is ${c.state}`);
    const byName = new Map<string, PoolInventory>((inventory?.pools ?? []).map((p) => [p.name, p]));
    for (const p of c.pools) {
      poolsById.set(p.id, { id: p.id, clusterId: c.id, name: p.name, gpuType: p.gpuType, gpusPerNode: p.gpusPerNode });
      const live = byName.get(p.name);
      pools.push({
        clusterId: c.id,
        poolId: p.id,
        siteId: c.siteId,
        gpuType: p.gpuType,
        clusterAvailable: c.state === 'active' && !unavailable.has(c.id) && live !== undefined,
        nodes: live ? live.nodes.map((n) => ({ ...n })) : registeredNodes(p.name, p.nodes, p.gpusPerNode),
      });
    }
  });
  return { pools, poolsById, clusters, unavailable };
}

/**
 * Stand-in nodes for a pool whose live state is unknown: its registered size, nothing free and nothing
 * healthy, so the scheduler knows the pool exists (for reasons) but places nothing there.
 */
function registeredNodes(poolName: string, nodes: number, gpusPerNode: number): NodeState[] {
  return Array.from({ length: nodes }, (_, i) => ({ name: `${poolName}#${i + 1}`, totalGpus: gpusPerNode, freeGpus: 0, healthy: false }));
}
