/**
 * The cycle's working copy of every pool: per-node free GPUs in typed arrays, a histogram of healthy nodes
 * by free GPUs (so "are there N nodes with G free?" costs O(largest node) without touching nodes), and the
 * per-node end times of what runs there (for reservations). Pools and nodes are put in a canonical order
 * (cluster, pool, node name) so decisions never depend on the order of the snapshot's arrays.
 *
 * Free capacity only shrinks during a cycle — preempted GPUs come back in the next cycle, not this one —
 * which is what lets the cycle memoise "this shape does not fit" for the rest of the queue.
 */
import { NodeTimeline } from './node-timeline.js';
import type { PoolState, RunningJob } from './types.js';

/** One pool during a cycle. */
export class PoolRt {
  readonly clusterId: string;
  readonly poolId: string;
  readonly siteId: string;
  readonly gpuType: string;
  readonly available: boolean;
  readonly nodeNames: string[];
  readonly total: Int32Array;
  readonly free: Int32Array;
  readonly healthy: Uint8Array;
  /** Healthy nodes by free GPUs: hist[g] = nodes with exactly g free. */
  readonly hist: Int32Array;
  /** Largest node of the pool (healthy or not): the structural limit for G. */
  readonly maxNodeGpus: number;
  /** GPUs of healthy nodes, and how many of them are free. */
  readonly healthyGpus: number;
  freeGpus: number;
  /** Strict-order mode: a higher job is blocked here, so the pool takes nothing more this cycle. */
  frozen = false;
  /** A higher-priority job blocked on resources could use this pool: later starts here are backfill. */
  blockedAbove = false;
  /** Nodes carrying a reservation hold (0: backfill checks can be skipped). */
  reservedNodes = 0;
  readonly timeline: NodeTimeline;
  private readonly nodeIndex = new Map<string, number>();

  constructor(readonly index: number, state: PoolState, now: number) {
    this.clusterId = state.clusterId;
    this.poolId = state.poolId;
    this.siteId = state.siteId;
    this.gpuType = state.gpuType;
    this.available = state.clusterAvailable;
    const nodes = [...state.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const n = nodes.length;
    this.nodeNames = nodes.map((x) => x.name);
    this.total = new Int32Array(n);
    this.free = new Int32Array(n);
    this.healthy = new Uint8Array(n);
    let maxNode = 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      const total = Math.max(0, Math.floor(node.totalGpus));
      this.total[i] = total;
      this.free[i] = Math.min(total, Math.max(0, Math.floor(node.freeGpus)));
      this.healthy[i] = node.healthy ? 1 : 0;
      maxNode = Math.max(maxNode, total);
      this.nodeIndex.set(node.name, i);
    }
    this.maxNodeGpus = maxNode;
    this.hist = new Int32Array(maxNode + 1);
    let healthyGpus = 0;
    let freeGpus = 0;
    for (let i = 0; i < n; i++) {
      if (!this.healthy[i]) continue;
      this.hist[this.free[i]!]!++;
      healthyGpus += this.total[i]!;
      freeGpus += this.free[i]!;
    }
    this.healthyGpus = healthyGpus;
    this.freeGpus = freeGpus;
    this.timeline = new NodeTimeline(this.free, now);
  }

  /** Can this pool take new work at all? */
  get open(): boolean {
    return this.available && !this.frozen;
  }

  /** Index of a node by name, or -1. */
  nodeAt(name: string): number {
    return this.nodeIndex.get(name) ?? -1;
  }

  /** Healthy nodes with at least `g` free GPUs (O(largest node)). */
  nodesWithFree(g: number): number {
    let count = 0;
    for (let f = Math.max(0, g); f < this.hist.length; f++) count += this.hist[f]!;
    return count;
  }

  /** Nodes (any health) with at least `g` GPUs installed: the structural limit for a gang. */
  nodesWithCapacity(g: number): number {
    let count = 0;
    for (let i = 0; i < this.total.length; i++) if (this.total[i]! >= g) count++;
    return count;
  }

  /** Take `g` free GPUs of node `i` until `endAt` (a dispatch, or a hold for a reclaim). */
  take(i: number, g: number, endAt: number, owner: string): void {
    const before = this.free[i]!;
    const after = before - g;
    this.free[i] = after;
    if (this.healthy[i]) {
      this.hist[before]!--;
      this.hist[after]!++;
      this.freeGpus -= g;
    }
    this.timeline.addRelease(i, endAt, g, owner);
    this.timeline.noteTaken(i, g, endAt);
  }

  /** Register a running job's release on each of its nodes here (unknown nodes are skipped). */
  addRunning(job: RunningJob, endAt: number): void {
    for (const name of job.nodeNames) {
      const i = this.nodeAt(name);
      if (i >= 0) this.timeline.addRelease(i, endAt, job.gpusPerNode, job.id);
    }
  }
}

/** Every pool of the snapshot in canonical order, with lookups by id and by GPU type. */
export class PoolIndex {
  readonly pools: PoolRt[];
  readonly byType = new Map<string, PoolRt[]>();
  private readonly byKey = new Map<string, PoolRt>();

  constructor(states: readonly PoolState[], now: number) {
    const sorted = [...states].sort((a, b) => cmp(a.clusterId, b.clusterId) || cmp(a.poolId, b.poolId));
    this.pools = sorted.map((s, i) => new PoolRt(i, s, now));
    for (const p of this.pools) {
      this.byKey.set(poolKey(p.clusterId, p.poolId), p);
      const list = this.byType.get(p.gpuType);
      if (list) list.push(p);
      else this.byType.set(p.gpuType, [p]);
    }
  }

  /** The pool with these ids, if the snapshot has it. */
  get(clusterId: string, poolId: string): PoolRt | undefined {
    return this.byKey.get(poolKey(clusterId, poolId));
  }

  /** Pools whose type is acceptable to `gpuTypes` (`any` accepts all), in canonical order. */
  matching(gpuTypes: readonly string[]): PoolRt[] {
    if (gpuTypes.includes('any')) return this.pools;
    if (gpuTypes.length === 1) return this.byType.get(gpuTypes[0]!) ?? [];
    const wanted = new Set(gpuTypes);
    return this.pools.filter((p) => wanted.has(p.gpuType));
  }

  /** GPUs installed in the largest pool: the job size that earns the full size factor. */
  largestPoolGpus(): number {
    let largest = 1;
    for (const p of this.pools) {
      let gpus = 0;
      for (let i = 0; i < p.total.length; i++) gpus += p.total[i]!;
      largest = Math.max(largest, gpus);
    }
    return largest;
  }

  /** Healthy GPUs of available pools, in total and per GPU type: the capacity shares divide. */
  capacity(): { total: number; byType: Map<string, number> } {
    let total = 0;
    const byType = new Map<string, number>();
    for (const p of this.pools) {
      if (!p.available) continue;
      total += p.healthyGpus;
      byType.set(p.gpuType, (byType.get(p.gpuType) ?? 0) + p.healthyGpus);
    }
    return { total, byType };
  }
}

function poolKey(clusterId: string, poolId: string): string {
  return `${clusterId}\u0000${poolId}`;
}

/** Plain string order (not locale): stable across machines. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
