/**
 * Reservations for backfill (DESIGN §5.6): EASY backfill extended to the first K blocked jobs.
 *
 * A blocked job among the first K gets a reservation in the pool where the walltime ends of running jobs
 * (and of jobs started earlier this cycle) first leave N nodes with G GPUs free, on those N nodes. The
 * reservation holds those GPUs (NodeTimeline), and every later job of the cycle may start now only where
 * it cannot delay any hold: it ends before the node's first reservation, or it fits in the node's slack.
 * Walltimes are upper bounds, so a reservation can only come earlier in practice, never later.
 */
import type { PoolRt } from './pool-index.js';

/** A reservation before it is committed. */
export interface ReservationPlan {
  pool: PoolRt;
  startAt: number;
  nodes: number[];
}

/** The earliest reservation for an N × G gang among `pools`; null if no pool ever frees enough. */
export function findReservation(pools: readonly PoolRt[], nodes: number, gpus: number, preferredSiteId?: string): ReservationPlan | null {
  let best: ReservationPlan | null = null;
  let bestPreferred = false;
  for (const p of pools) {
    if (!p.open) continue;
    const plan = earliestInPool(p, nodes, gpus);
    if (!plan) continue;
    const preferred = preferredSiteId !== undefined && p.siteId === preferredSiteId;
    if (!best || plan.startAt < best.startAt || (plan.startAt === best.startAt && preferred && !bestPreferred)) {
      best = plan;
      bestPreferred = preferred;
    }
  }
  return best;
}

/** The N nodes of `p` that first have G GPUs free for good, and when. */
function earliestInPool(p: PoolRt, nodes: number, gpus: number): ReservationPlan | null {
  const times: { t: number; i: number }[] = [];
  for (let i = 0; i < p.total.length; i++) {
    if (!p.healthy[i] || p.total[i]! < gpus) continue;
    const t = p.timeline.earliestFree(i, gpus);
    if (t !== Number.POSITIVE_INFINITY) times.push({ t, i });
  }
  if (times.length < nodes) return null;
  times.sort((a, b) => a.t - b.t || a.i - b.i);
  const chosen = times.slice(0, nodes);
  return { pool: p, startAt: chosen[nodes - 1]!.t, nodes: chosen.map((x) => x.i) };
}

/** Hold the plan's GPUs for a job of `walltimeSeconds`. */
export function commitReservation(plan: ReservationPlan, gpus: number, walltimeSeconds: number): void {
  const end = plan.startAt + walltimeSeconds * 1000;
  for (const i of plan.nodes) {
    if (!plan.pool.timeline.isReserved(i)) plan.pool.reservedNodes++;
    plan.pool.timeline.reserve(i, plan.startAt, end, gpus);
  }
}
