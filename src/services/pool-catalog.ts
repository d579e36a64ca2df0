/**
 * The grid's shape as submission needs it: which GPU types exist, and the largest gangs each pool could
 * ever hold. Submission rejects with 422 what no pool could ever run (DESIGN §5.5: a gang lives in one
 * pool), saying what exists instead. Registered pools count whatever their cluster's state: a draining
 * cluster comes back, and the scheduler reports `ClusterUnavailable` meanwhile.
 *
 * Loaded from the store and cached for `ttlMs` (stale-while-refresh), because reading every pool on every
 * submission would double the submit path's queries; `invalidate()` on cluster changes.
 */
import type { Cluster, Pool } from '../domain/types.js';

/** One pool as the catalogue keeps it. */
export interface CatalogPool {
  poolId: string;
  clusterId: string;
  siteId: string;
  gpuType: string;
  nodes: number;
  gpusPerNode: number;
}

/** A snapshot of the grid's shape. */
export interface GridCatalog {
  pools: CatalogPool[];
  siteIds: ReadonlySet<string>;
  /** Lower-cased GPU type → the spelling pools use. */
  gpuTypes: ReadonlyMap<string, string>;
}

/** What the catalogue reads. */
export type CatalogLoader = () => Promise<{ clusters: (Cluster & { pools: Pool[] })[]; siteIds: string[] }>;

/** Build a catalogue snapshot from clusters with pools and the site ids. */
export function buildCatalog(clusters: (Cluster & { pools: Pool[] })[], siteIds: string[]): GridCatalog {
  const pools = clusters.flatMap((c) =>
    c.pools.map((p) => ({ poolId: p.id, clusterId: c.id, siteId: c.siteId, gpuType: p.gpuType, nodes: p.nodes, gpusPerNode: p.gpusPerNode })),
  );
  const gpuTypes = new Map<string, string>();
  for (const p of pools) gpuTypes.set(p.gpuType.toLowerCase(), p.gpuType);
  return { pools, siteIds: new Set(siteIds), gpuTypes };
}

/** A cached GridCatalog. */
export class PoolCatalog {
  private snapshot: GridCatalog | undefined;
  private loadedAt = 0;
  private loading: Promise<GridCatalog> | undefined;

  constructor(
    private readonly load: CatalogLoader,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The catalogue: cached; a stale one is served while a refresh runs, the first call waits for the load. */
  async current(): Promise<GridCatalog> {
    if (this.snapshot && this.now() - this.loadedAt < this.ttlMs) return this.snapshot;
    const refresh = this.refresh();
    if (this.snapshot) {
      refresh.catch(() => undefined); // keep serving the last good catalogue; the next call retries
      return this.snapshot;
    }
    return refresh;
  }

  /** Forget the cached catalogue (a cluster or pool was added, removed or changed). */
  invalidate(): void {
    this.snapshot = undefined;
  }

  private refresh(): Promise<GridCatalog> {
    this.loading ??= this.load()
      .then(({ clusters, siteIds }) => {
        this.snapshot = buildCatalog(clusters, siteIds);
        this.loadedAt = this.now();
        return this.snapshot;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
