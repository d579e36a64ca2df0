/**
 * Simulated pools: the node states the core sees, mutated only here as jobs start and stop.
 * The snapshot hands the core these very objects (the core is pure and does not mutate its input), so
 * building a snapshot costs nothing per node.
 */
import type { NodeState, PoolState } from '../scheduler/types.js';
import type { SimGrid } from './sim-grid.js';

/** Nodes of every pool, with a lookup by (cluster, pool, node name) and a running count of free GPUs. */
export class SimPools {
  /** The pools as the snapshot carries them. */
  readonly pools: PoolState[];
  /** GPUs in available pools. */
  readonly capacity: number;
  private readonly nodeByKey = new Map<string, NodeState>();
  private free = 0;

  constructor(grid: SimGrid) {
    this.pools = grid.pools.map((p) => ({
      clusterId: p.clusterId,
      poolId: p.poolId,
      siteId: p.siteId,
      gpuType: p.gpuType,
      clusterAvailable: p.available,
      nodes: Array.from({ length: p.nodes }, (_, i) => ({ name: `${p.poolId}-n${String(i + 1).padStart(3, '0')}`, totalGpus: p.gpusPerNode, freeGpus: p.gpusPerNode, healthy: true })),
    }));
    let capacity = 0;
    for (const pool of this.pools) {
      for (const node of pool.nodes) this.nodeByKey.set(key(pool.clusterId, pool.poolId, node.name), node);
      if (pool.clusterAvailable) capacity += pool.nodes.length * (pool.nodes[0]?.totalGpus ?? 0);
    }
    this.capacity = capacity;
    this.free = capacity;
  }

  /** GPUs free in available pools now. */
  get freeGpus(): number {
    return this.free;
  }

  /** Take `gpusPerNode` GPUs on each named node; throws if the core placed a job where it does not fit. */
  take(clusterId: string, poolId: string, nodeNames: readonly string[], gpusPerNode: number): void {
    for (const name of nodeNames) {
      const node = this.node(clusterId, poolId, name);
      if (node.freeGpus < gpusPerNode) throw new Error(`simulator: ${clusterId}/${poolId}/${name} has ${node.freeGpus} free GPUs, job needs ${gpusPerNode}`);
      node.freeGpus -= gpusPerNode;
    }
    this.free -= gpusPerNode * nodeNames.length;
  }

  /** Give back what `take` took. */
  release(clusterId: string, poolId: string, nodeNames: readonly string[], gpusPerNode: number): void {
    for (const name of nodeNames) this.node(clusterId, poolId, name).freeGpus += gpusPerNode;
    this.free += gpusPerNode * nodeNames.length;
  }

  /** Largest number of free GPUs on one healthy node of an available pool (0 when all are full). */
  maxFreeOnANode(): number {
    let max = 0;
    for (const pool of this.pools) {
      if (!pool.clusterAvailable) continue;
      for (const node of pool.nodes) if (node.healthy && node.freeGpus > max) max = node.freeGpus;
    }
    return max;
  }

  private node(clusterId: string, poolId: string, name: string): NodeState {
    const node = this.nodeByKey.get(key(clusterId, poolId, name));
    if (!node) throw new Error(`simulator: the core placed a job on unknown node ${clusterId}/${poolId}/${name}`);
    return node;
  }
}

function key(clusterId: string, poolId: string, node: string): string {
  return `${clusterId}\u0000${poolId}\u0000${node}`;
}
