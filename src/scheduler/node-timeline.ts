/**
 * What each node of a pool will have free over time, for reservations and backfill (DESIGN §5.6).
 *
 * A node's profile is its free GPUs now, plus the GPUs each job on it releases at its walltime end, minus
 * the GPUs held for reservations. A hold counts from now until its reservation ends — conservative: it
 * also blocks the time before the reservation starts, for other reservations. That keeps every profile
 * non-decreasing in time, so "the earliest time a node has G free" is one scan, and a reservation found
 * later can never collide with one found earlier.
 *
 * Backfill on a reserved node: with H the earliest reservation start on the node, a job ending by H cannot
 * delay anything; a job running past H may use at most `slack` = (free at H without it) − (all holds on the
 * node) GPUs, which keeps every reservation whole at every instant after H (the profile only rises).
 */

interface Release {
  end: number;
  gpus: number;
  owner: string;
}

/** Per-node releases and reservation holds of one pool. */
export class NodeTimeline {
  private readonly releases: Release[][];
  private readonly holds: { end: number; gpus: number }[][];
  /** Earliest reservation start per node (+∞: none). */
  readonly resStart: Float64Array;
  /** GPUs a job running past `resStart` may still take on the node. */
  readonly slack: Float64Array;

  constructor(private readonly free: Int32Array, private readonly now: number) {
    const n = free.length;
    this.releases = Array.from({ length: n }, () => []);
    this.holds = Array.from({ length: n }, () => []);
    this.resStart = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.slack = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  }

  /** A job on node `i` releases `gpus` at `end` (overdue jobs count as ending now). */
  addRelease(i: number, end: number, gpus: number, owner = ''): void {
    const list = this.releases[i]!;
    const e = Math.max(end, this.now);
    let k = list.length;
    while (k > 0 && list[k - 1]!.end > e) k--;
    list.splice(k, 0, { end: e, gpus, owner });
  }

  /** Bookkeeping after `gpus` of node `i` were taken now until `end`: shrink the slack if it runs past H. */
  noteTaken(i: number, gpus: number, end: number): void {
    if (end > this.resStart[i]!) this.slack[i] = this.slack[i]! - gpus;
  }

  /** May a job take `gpus` on node `i` now until `end` without delaying any reservation? */
  canBackfill(i: number, gpus: number, end: number): boolean {
    return end <= this.resStart[i]! || gpus <= this.slack[i]!;
  }

  /** Does node `i` carry a reservation? */
  isReserved(i: number): boolean {
    return this.resStart[i]! !== Number.POSITIVE_INFINITY;
  }

  /** Move `owner`'s release on node `i` to no earlier than `end` (its GPUs pass to a reclaiming job). */
  extendRelease(i: number, owner: string, end: number): void {
    const list = this.releases[i]!;
    const k = list.findIndex((r) => r.owner === owner);
    if (k < 0 || list[k]!.end >= end) return;
    const [r] = list.splice(k, 1);
    this.addRelease(i, end, r!.gpus, owner);
  }

  /** Earliest instant (≥ now) from which node `i` has `gpus` free for good; +∞ if never. */
  earliestFree(i: number, gpus: number): number {
    const rel = this.releases[i]!;
    const holds = this.holds[i]!;
    let level = this.free[i]!;
    for (const h of holds) level -= h.gpus;
    if (level >= gpus) return this.now;
    let a = 0;
    let b = 0;
    while (a < rel.length || b < holds.length) {
      const ta = a < rel.length ? rel[a]!.end : Number.POSITIVE_INFINITY;
      const tb = b < holds.length ? holds[b]!.end : Number.POSITIVE_INFINITY;
      const t = Math.min(ta, tb);
      while (a < rel.length && rel[a]!.end === t) level += rel[a++]!.gpus;
      while (b < holds.length && holds[b]!.end === t) level += holds[b++]!.gpus;
      if (level >= gpus) return t;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Hold `gpus` of node `i` for a reservation over [start, end). */
  reserve(i: number, start: number, end: number, gpus: number): void {
    const holds = this.holds[i]!;
    let k = holds.length;
    while (k > 0 && holds[k - 1]!.end > end) k--;
    holds.splice(k, 0, { end, gpus });
    const h = Math.min(this.resStart[i]!, start);
    this.resStart[i] = h;
    let atH = this.free[i]!;
    for (const r of this.releases[i]!) {
      if (r.end > h) break;
      atH += r.gpus;
    }
    for (const x of holds) atH -= x.gpus;
    this.slack[i] = atH;
  }
}
