/**
 * Decayed usage per user leaf, kept incrementally with the core's own decay arithmetic (scheduler/decay.ts).
 * Each leaf holds the decayed GPU-seconds of everything up to `since` plus the GPUs it holds now; a start or
 * a stop folds the interval since `since` in exactly (addInterval), so a snapshot costs one decay per leaf
 * that ever used anything, and no history is replayed.
 */
import { addInterval, zeroDecayed, type DecayedValue } from '../scheduler/decay.js';

interface Leaf {
  acc: DecayedValue;
  /** GPUs the leaf's running jobs hold now. */
  gpus: number;
}

/** Decayed GPU-seconds per account leaf over simulated time. */
export class UsageTracker {
  private readonly leaves = new Map<string, Leaf>();

  constructor(private readonly halfLifeSeconds: number) {}

  /** The leaf's running GPUs change by `delta` at `now` (a job starts: +gpus; finishes or is preempted: −gpus). */
  change(leafId: string, now: number, delta: number): void {
    let leaf = this.leaves.get(leafId);
    if (!leaf) {
      leaf = { acc: zeroDecayed(now), gpus: 0 };
      this.leaves.set(leafId, leaf);
    }
    leaf.acc = addInterval(leaf.acc, leaf.acc.asOf, now, leaf.gpus, this.halfLifeSeconds);
    leaf.gpus += delta;
  }

  /** Decayed usage of every leaf at `now`, running work included (as the snapshot wants it). */
  snapshot(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, leaf] of this.leaves) {
      out[id] = addInterval(leaf.acc, leaf.acc.asOf, now, leaf.gpus, this.halfLifeSeconds).value;
    }
    return out;
  }
}
