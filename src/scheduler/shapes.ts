/**
 * Job shapes: (acceptable GPU types, nodes, GPUs per node). Everything about placement that does not depend
 * on the individual job is computed once per shape and cycle — the static verdicts (`InvalidRequest`,
 * `GpuTypeUnavailable`, `ClusterUnavailable`), the candidate pools — and so is what the cycle learns as it
 * goes: because free capacity only shrinks within a cycle, a shape that found no room stays without room,
 * and a shape that could not backfill with walltime w cannot with any longer walltime. A queue of 100,000
 * jobs has a few hundred shapes, so after the grid fills up each remaining job costs O(1).
 */
import type { Party } from './parties.js';
import type { PoolIndex, PoolRt } from './pool-index.js';
import type { PendingJob, PendingReason } from './types.js';

/** A verdict that follows from the shape and the grid alone. */
export interface StaticVerdict {
  reason: Extract<PendingReason, 'InvalidRequest' | 'GpuTypeUnavailable' | 'ClusterUnavailable'>;
  message: string;
}

/** One shape during a cycle. */
export interface Shape {
  /** Position in ShapeCache.list (for compact job records). */
  index: number;
  gpuTypes: readonly string[];
  nodes: number;
  gpusPerNode: number;
  /** Set when no pool can ever run the shape now. */
  verdict?: StaticVerdict;
  /** Available pools structurally able to hold the gang, canonical order. */
  candidates: PoolRt[];
  /** No open candidate has `nodes` nodes with `gpusPerNode` free: true for the rest of the cycle. */
  full: boolean;
  /** Shortest walltime (s) seen failing to start now; longer jobs of the shape fail too. */
  minBlockedWall: number;
  /** Per institution: shortest walltime (s) for which reclaim found nothing. */
  reclaimFailWall: Map<Party, number>;
  /** Shortest walltime (s) for which reclaim found nothing even counting every institution's victims. */
  reclaimFailWallAll: number;
  /** Shared human messages, built once per shape (see reasons.ts). */
  text: { resources?: string; priority?: string; strict?: string };
  /** No pool will ever free room for it this cycle (holds only grow): skip reservation searches. */
  neverReservable: boolean;
  /** Its pools are already marked as having a blocked job above (see PoolRt.blockedAbove). */
  markedBlocked: boolean;
  /** Strict order: its pools are already frozen. */
  frozen: boolean;
}

/** Builds and memoises shapes for one cycle. */
export class ShapeCache {
  /** Every shape built this cycle, by `index`. */
  readonly list: Shape[] = [];
  private readonly byTypes = new Map<string, Map<number, Shape>>();

  constructor(private readonly pools: PoolIndex) {}

  /** The shape of `job` (same object for every job of that shape this cycle). */
  of(job: PendingJob): Shape {
    const typeKey = typesKey(job.gpuTypes);
    let inner = this.byTypes.get(typeKey);
    if (!inner) {
      inner = new Map();
      this.byTypes.set(typeKey, inner);
    }
    const key = job.nodes * 1_000_003 + job.gpusPerNode;
    let shape = inner.get(key);
    if (!shape) {
      shape = this.build(typeKey === '' ? [] : typeKey.split('\u0001'), job.nodes, job.gpusPerNode);
      inner.set(key, shape);
      this.list.push(shape);
    }
    return shape;
  }

  private build(gpuTypes: readonly string[], nodes: number, gpusPerNode: number): Shape {
    const shape: Shape = {
      index: this.list.length, gpuTypes, nodes, gpusPerNode, candidates: [], full: false,
      minBlockedWall: Number.POSITIVE_INFINITY, reclaimFailWall: new Map(), text: {},
      neverReservable: false, markedBlocked: false, frozen: false, reclaimFailWallAll: Number.POSITIVE_INFINITY,
    };
    if (!isPositiveInt(nodes) || !isPositiveInt(gpusPerNode)) {
      shape.verdict = { reason: 'InvalidRequest', message: `asks ${nodes} node(s) × ${gpusPerNode} GPU(s); both must be positive integers` };
      return shape;
    }
    if (gpuTypes.length === 0) {
      shape.verdict = { reason: 'InvalidRequest', message: 'asks for no GPU type; give one or more types, or `any`' };
      return shape;
    }
    const matching = this.pools.matching(gpuTypes);
    if (matching.length === 0) {
      shape.verdict = { reason: 'GpuTypeUnavailable', message: `no pool in the grid has GPU type ${gpuTypes.join(' or ')}` };
      return shape;
    }
    const structural = matching.filter((p) => p.maxNodeGpus >= gpusPerNode && p.nodesWithCapacity(gpusPerNode) >= nodes);
    if (structural.length === 0) {
      shape.verdict = { reason: 'InvalidRequest', message: tooBig(matching, nodes, gpusPerNode) };
      return shape;
    }
    shape.candidates = structural.filter((p) => p.available);
    if (shape.candidates.length === 0) {
      const names = structural.slice(0, 3).map(label).join(', ') + (structural.length > 3 ? ', …' : '');
      shape.verdict = { reason: 'ClusterUnavailable', message: `every pool that could run it (${names}) is in a draining, offline or unreachable cluster` };
    }
    return shape;
  }
}

/**
 * A canonical key for a list of acceptable types: order and duplicates do not matter, `any` wins, '' is no
 * type at all. The shape's own list is rebuilt from the key, so messages never depend on input order.
 */
function typesKey(types: readonly string[]): string {
  if (types.length === 1) return types[0]!;
  if (types.length === 2) {
    const a = types[0]!;
    const b = types[1]!;
    if (a === 'any' || b === 'any') return 'any';
    return a === b ? a : a < b ? `${a}\u0001${b}` : `${b}\u0001${a}`;
  }
  return types.includes('any') ? 'any' : [...new Set(types)].sort().join('\u0001');
}

/** "cluster/pool", for messages. */
export function label(p: PoolRt): string {
  return `${p.clusterId}/${p.poolId}`;
}

function isPositiveInt(x: number): boolean {
  return Number.isInteger(x) && x > 0;
}

/** Say what is too big, naming the largest node (or the largest gang) that exists. */
function tooBig(matching: PoolRt[], nodes: number, gpusPerNode: number): string {
  let biggest = matching[0]!;
  for (const p of matching) if (p.maxNodeGpus > biggest.maxNodeGpus) biggest = p;
  if (biggest.maxNodeGpus < gpusPerNode) {
    return `asks ${gpusPerNode} GPUs per node; the largest node has ${biggest.maxNodeGpus} (pool ${label(biggest)})`;
  }
  let most = matching[0]!;
  let mostCount = -1;
  for (const p of matching) {
    const c = p.nodesWithCapacity(gpusPerNode);
    if (c > mostCount) {
      most = p;
      mostCount = c;
    }
  }
  return `asks ${nodes} nodes with ${gpusPerNode} GPUs each; the most such nodes in one pool is ${mostCount} (pool ${label(most)}), and a gang never spans pools`;
}
