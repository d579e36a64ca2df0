/**
 * Scratch typed arrays reused from one cycle to the next.
 *
 * A cycle at L needs ~15 MB of typed arrays (the job table's records, sort keys). Allocated fresh each
 * cycle, their pages are faulted in and zeroed every time: measured on the project's 2-core machine, the
 * job table alone cost ~48 ms of a ~94 ms preparation that way, ~0 when reused. So the arrays live here
 * and are handed out again.
 *
 * Why this cannot leak state between cycles or break purity: every user writes every element it later
 * reads, in the same cycle, before reading it; `runCycle` is synchronous, so two cycles never hold the same
 * slot at once; nothing returned in the decisions points into these arrays. The decisions are a function
 * of the snapshot alone, as the determinism property tests check.
 */

/** Named slots, one per use, so two users never share a buffer within a cycle. */
export const Slot = { JobRecords: 0, Priority: 1, Submitted: 2, OrderKey: 3, Packed: 4, Level: 5 } as const;

const f64: (Float64Array | undefined)[] = [];

/**
 * A Float64Array of exactly `n` elements for `slot`, with arbitrary contents. Valid until the next request
 * for the same slot (the next cycle): hold none across cycles.
 */
export function scratchF64(slot: (typeof Slot)[keyof typeof Slot], n: number): Float64Array {
  let buf = f64[slot];
  if (!buf || buf.length < n) {
    buf = new Float64Array(Math.max(n, Math.ceil((buf?.length ?? 0) * 1.25)));
    f64[slot] = buf;
  }
  return buf.subarray(0, n);
}
