/**
 * The event queue of the discrete-event loop: a binary min-heap ordered by (time, sequence number).
 * The sequence number makes the order total and deterministic: two events at the same instant come out
 * in the order they were scheduled, whatever the heap's internal layout.
 */

/**
 * What can happen in simulated time. Submits are not queued here: the engine merges them from the
 * submit-ordered job list, which keeps the heap small. `run` tags a finish with the run it belongs to
 * (stale after a preemption).
 */
export type SimEvent =
  | { kind: 'finish'; jobIndex: number; run: number }
  | { kind: 'cycle' }
  /** A preempted job's reclaim cooldown ends: it may borrow again, so the queue may move. */
  | { kind: 'cooldown' }
  | { kind: 'budget-period'; period: number };

interface Entry {
  time: number;
  seq: number;
  event: SimEvent;
}

/** A min-heap of events by time, then insertion sequence. */
export class EventQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  /** Number of queued events. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedule an event at `time` (epoch ms). */
  push(time: number, event: SimEvent): void {
    const entry: Entry = { time, seq: this.seq++, event };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!less(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Time of the earliest event, or undefined when empty. */
  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }

  /** Remove and return the earliest event. */
  pop(): { time: number; event: SimEvent } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      // Sift the last entry down from the root.
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(heap[r]!, heap[l]!) ? r : l;
        if (!less(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return { time: top.time, event: top.event };
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
