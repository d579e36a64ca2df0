/**
 * The hardware of a sim cluster: pools of nodes, each with indexed GPUs that are free or held by a job.
 * Knows nothing about time or job lifecycles; the cluster asks it to place, release and report.
 */
import type { Pool } from '../../domain/types.js';
import type { PoolInventory } from '../port.js';
import { ClusterRefusedError } from '../port.js';

/** Health of a sim node: `down` kills what runs on it, `drained` lets it finish but takes nothing new. */
export type SimNodeHealth = 'up' | 'down' | 'drained';

/** The shape of a pool a sim cluster is built from (a subset of the `Pool` row). */
export type SimPoolSpec = Pick<Pool, 'name' | 'gpuType' | 'nodes' | 'gpusPerNode'>;

/** One node: its GPUs are slots holding the idempotency key of the job using them. */
export interface SimNode {
  name: string;
  poolName: string;
  gpuType: string;
  health: SimNodeHealth;
  gpus: (string | undefined)[];
}

/** GPUs a job holds on one node. */
export interface NodePlacement {
  node: string;
  gpuIndices: number[];
}

/** `<cluster>-<pool>-n001`: zero-padded so names sort in node order. */
export function simNodeName(clusterId: string, poolName: string, index: number): string {
  return `${clusterId}-${poolName}-n${String(index + 1).padStart(3, '0')}`;
}

/** The nodes of one sim cluster, grouped by pool. */
export class SimNodes {
  private readonly pools: { spec: SimPoolSpec; nodes: SimNode[] }[];
  private readonly byName = new Map<string, SimNode>();

  constructor(
    private readonly clusterId: string,
    specs: readonly SimPoolSpec[],
  ) {
    this.pools = specs.map((spec) => {
      const nodes = Array.from({ length: spec.nodes }, (_, i): SimNode => ({
        name: simNodeName(clusterId, spec.name, i),
        poolName: spec.name,
        gpuType: spec.gpuType,
        health: 'up',
        gpus: new Array<string | undefined>(spec.gpusPerNode).fill(undefined),
      }));
      for (const n of nodes) this.byName.set(n.name, n);
      return { spec, nodes };
    });
  }

  /** Every node, pool by pool. */
  all(): SimNode[] {
    return this.pools.flatMap((p) => p.nodes);
  }

  /** A node by name. */
  get(name: string): SimNode | undefined {
    return this.byName.get(name);
  }

  /** The pool spec by name. */
  pool(name: string): SimPoolSpec | undefined {
    return this.pools.find((p) => p.spec.name === name)?.spec;
  }

  /** Pools as the port reports them: unhealthy nodes show `healthy: false` and no free GPUs. */
  inventory(): PoolInventory[] {
    return this.pools.map(({ spec, nodes }) => ({
      name: spec.name,
      gpuType: spec.gpuType,
      nodes: nodes.map((n) => ({
        name: n.name,
        totalGpus: n.gpus.length,
        freeGpus: n.health === 'up' ? freeCount(n) : 0,
        healthy: n.health === 'up',
      })),
    }));
  }

  /**
   * Take `gpusPerNode` GPUs on each named node for `key`, all or nothing. Throws ClusterRefusedError
   * naming the first problem, because the scheduler placed the job on a picture that no longer holds.
   */
  place(key: string, poolName: string, nodeNames: readonly string[], gpusPerNode: number): NodePlacement[] {
    if (!this.pool(poolName)) throw new ClusterRefusedError(`sim cluster ${this.clusterId} has no pool ${JSON.stringify(poolName)}`);
    if (nodeNames.length === 0) throw new ClusterRefusedError('no nodes given for the job');
    if (new Set(nodeNames).size !== nodeNames.length) throw new ClusterRefusedError(`node list repeats a node: ${nodeNames.join(', ')}`);
    if (!Number.isInteger(gpusPerNode) || gpusPerNode < 1) throw new ClusterRefusedError(`gpusPerNode must be a whole number ≥ 1, got ${gpusPerNode}`);
    const nodes = nodeNames.map((name) => {
      const node = this.byName.get(name);
      if (!node || node.poolName !== poolName) throw new ClusterRefusedError(`node ${name} is not in pool ${poolName} of sim cluster ${this.clusterId}`);
      if (node.health !== 'up') throw new ClusterRefusedError(`node ${name} is ${node.health}`);
      const free = freeCount(node);
      if (free < gpusPerNode) throw new ClusterRefusedError(`node ${name} has ${free} free GPUs of ${node.gpus.length}, job needs ${gpusPerNode}`);
      return node;
    });
    return nodes.map((node) => ({ node: node.name, gpuIndices: takeFree(node, key, gpusPerNode) }));
  }

  /** Give back the GPUs a job held (idempotent: slots already free or held by another key are left alone). */
  release(key: string, placement: readonly NodePlacement[]): void {
    for (const p of placement) {
      const node = this.byName.get(p.node);
      if (!node) continue;
      for (const i of p.gpuIndices) if (node.gpus[i] === key) node.gpus[i] = undefined;
    }
  }
}

function freeCount(node: SimNode): number {
  return node.gpus.filter((g) => g === undefined).length;
}

/** Lowest free indices first, like the device plugin / Slurm gres hands them out. */
function takeFree(node: SimNode, key: string, count: number): number[] {
  const taken: number[] = [];
  for (let i = 0; i < node.gpus.length && taken.length < count; i++) {
    if (node.gpus[i] === undefined) {
      node.gpus[i] = key;
      taken.push(i);
    }
  }
  return taken;
}
