/**
 * Placement (DESIGN §5.5): a gang of N nodes × G GPUs goes only where N healthy nodes each have G free GPUs,
 * all in one pool of an acceptable type in an available cluster — never in part. Among pools that fit:
 * best fit (fewest free GPUs left in the pool afterwards, which keeps large holes for large gangs), then
 * the user's preferred site, then canonical pool order. Within the pool, the nodes with the fewest free
 * GPUs that still fit, for the same reason.
 *
 * On nodes that carry reservations a job may start only if it cannot delay them (see NodeTimeline).
 */
import type { PoolRt } from './pool-index.js';

/** Where a job starts: a pool and node indices within it. */
export interface Placement {
  pool: PoolRt;
  nodes: number[];
}

/**
 * `placed`; `held` (room exists, but only on GPUs promised to reservations or in pools frozen for a higher
 * job); or `full` (no room now).
 */
export type PlaceOutcome = { kind: 'placed'; placement: Placement } | { kind: 'held' } | { kind: 'full' };

/** Find the best placement of an N × G gang that runs until `endAt`, among `pools`. */
export function place(pools: readonly PoolRt[], nodes: number, gpus: number, endAt: number, preferredSiteId?: string): PlaceOutcome {
  let best: PoolRt | undefined;
  let bestLeft = 0;
  let bestPreferred = false;
  let room = false;
  for (const p of pools) {
    if (!p.available || p.nodesWithFree(gpus) < nodes) continue;
    room = true;
    if (p.frozen) continue;
    if (p.reservedNodes > 0 && eligibleCount(p, gpus, endAt) < nodes) continue;
    const left = p.freeGpus - nodes * gpus;
    const preferred = preferredSiteId !== undefined && p.siteId === preferredSiteId;
    if (!best || left < bestLeft || (left === bestLeft && preferred && !bestPreferred)) {
      best = p;
      bestLeft = left;
      bestPreferred = preferred;
    }
  }
  if (best) return { kind: 'placed', placement: { pool: best, nodes: pickNodes(best, nodes, gpus, endAt) } };
  return room ? { kind: 'held' } : { kind: 'full' };
}

/** Healthy nodes with `gpus` free that a job ending at `endAt` may use. */
function eligibleCount(p: PoolRt, gpus: number, endAt: number): number {
  let count = 0;
  for (let i = 0; i < p.free.length; i++) {
    if (p.healthy[i] && p.free[i]! >= gpus && p.timeline.canBackfill(i, gpus, endAt)) count++;
  }
  return count;
}

/** The `count` eligible nodes with the fewest free GPUs (then by name order). */
function pickNodes(p: PoolRt, count: number, gpus: number, endAt: number): number[] {
  const eligible: number[] = [];
  for (let i = 0; i < p.free.length; i++) {
    if (p.healthy[i] && p.free[i]! >= gpus && p.timeline.canBackfill(i, gpus, endAt)) eligible.push(i);
  }
  eligible.sort((a, b) => p.free[a]! - p.free[b]! || a - b);
  return eligible.slice(0, count);
}

/** Take the placement's GPUs until `endAt` on behalf of `owner`. */
export function commitPlacement(pl: Placement, gpus: number, endAt: number, owner: string): void {
  for (const i of pl.nodes) pl.pool.take(i, gpus, endAt, owner);
}
