/**
 * Sites and clusters as users see them: the registered inventory from the store joined with what each
 * cluster's adapter reports now (free and total GPUs per pool, reachability).
 */
import type { Cluster, Pool, Site } from '../domain/types.js';
import type { ClusterAdapter, PoolInventory } from '../adapters/port.js';

/** One pool with its live numbers. */
export interface PoolView extends Pool {
  totalGpus: number;
  freeGpus: number;
  healthyNodes: number;
}

/** One cluster with its site, pools and live reachability. */
export interface ClusterView extends Cluster {
  /** Backend settings as registered (shown only to national admins and the site's operators: cluster-access.ts). */
  config?: Record<string, unknown>;
  site: Pick<Site, 'id' | 'name' | 'city' | 'province'>;
  reachable: boolean;
  message?: string;
  totalGpus: number;
  freeGpus: number;
  pools: PoolView[];
}

/** What the inventory service reads from the store. */
export interface InventoryStore {
  listSites(): Promise<Site[]>;
  listClusters(): Promise<(Cluster & { pools: Pool[] })[]>;
}

/** Live view of the grid's inventory. */
export class InventoryService {
  constructor(
    private readonly store: InventoryStore,
    private readonly adapters: ReadonlyMap<string, ClusterAdapter>,
  ) {}

  /** All sites. */
  listSites(): Promise<Site[]> {
    return this.store.listSites();
  }

  /** All clusters with pools and live free/total GPUs; an unreachable cluster shows 0 free and says why. */
  async listClusters(): Promise<ClusterView[]> {
    const [sites, clusters] = await Promise.all([this.store.listSites(), this.store.listClusters()]);
    const siteById = new Map(sites.map((s) => [s.id, s]));
    return Promise.all(
      clusters.map(async (c) => {
        const site = siteById.get(c.siteId);
        const live = await this.readInventory(c.id);
        const pools = c.pools.map((p) => poolView(p, live.pools?.find((lp) => lp.name === p.name)));
        const view: ClusterView = {
          ...c,
          site: { id: c.siteId, name: site?.name ?? c.siteId, city: site?.city ?? '', province: site?.province ?? '' },
          reachable: live.reachable,
          totalGpus: pools.reduce((a, p) => a + p.totalGpus, 0),
          freeGpus: pools.reduce((a, p) => a + p.freeGpus, 0),
          pools,
        };
        if (live.message) view.message = live.message;
        return view;
      }),
    );
  }

  private async readInventory(clusterId: string): Promise<{ reachable: boolean; message?: string; pools?: PoolInventory[] }> {
    const adapter = this.adapters.get(clusterId);
    if (!adapter) return { reachable: false, message: 'no adapter is configured for this cluster' };
    try {
      const inv = await adapter.inventory();
      return { reachable: true, pools: inv.pools };
    } catch (e) {
      return { reachable: false, message: (e as Error).message };
    }
  }
}

function poolView(p: Pool, live: PoolInventory | undefined): PoolView {
  if (!live) return { ...p, totalGpus: p.nodes * p.gpusPerNode, freeGpus: 0, healthyNodes: 0 };
  const healthy = live.nodes.filter((n) => n.healthy);
  return {
    ...p,
    totalGpus: live.nodes.reduce((a, n) => a + n.totalGpus, 0),
    freeGpus: healthy.reduce((a, n) => a + n.freeGpus, 0),
    healthyNodes: healthy.length,
  };
}
