/**
 * Fast total order of job indices by a numeric key, then a tie-break comparator.
 *
 * Sorting 100,000 objects with a JS comparator is the floor the issue measures against; we go under it by
 * packing (quantised key, index) into one double and letting the engine's native numeric sort
 * (TypedArray#sort without a comparator) do the work, then re-sorting only runs of equal quantised keys
 * with the full comparator. Quantisation maps the key range onto 2^(52 − index bits) levels, monotonically,
 * so the order never contradicts the key; keys closer than one level (≈ 4·10⁻⁷ of the range for 100,000
 * jobs) count as equal and fall through to the tie-break — which is a total order, so the result is the same
 * whatever the input order. The packed and level arrays are scratch reused across cycles (scratch.ts).
 */

import { scratchF64, Slot } from './scratch.js';

/**
 * Indices 0..n−1 ordered by ascending `key`, then by `tieBreak` (which must order equal keys; it may also
 * be called on keys that differ by less than one level and must then order them by key first).
 */
export function orderByKey(key: Float64Array, tieBreak: (a: number, b: number) => number): Int32Array {
  const n = key.length;
  const order = new Int32Array(n);
  if (n === 0) return order;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const k = key[i]!;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
    if (integers && !Number.isInteger(k)) integers = false;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return comparatorOrder(key, tieBreak);
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const radix = 2 ** indexBits;
  const levels = 2 ** (52 - indexBits) - 1;
  // Integer keys that fit are used as they are (exact: equal levels are equal keys).
  const scale = integers && hi - lo <= levels ? 1 : hi > lo ? levels / (hi - lo) : 0;
  if (!Number.isFinite(scale)) return comparatorOrder(key, tieBreak); // a range so small it underflows
  const packed = scratchF64(Slot.Packed, n);
  for (let i = 0; i < n; i++) packed[i] = Math.floor((key[i]! - lo) * scale) * radix + i;
  packed.sort();
  const level = scratchF64(Slot.Level, n);
  for (let i = 0; i < n; i++) {
    const p = packed[i]!;
    const idx = p % radix;
    order[i] = idx;
    level[i] = (p - idx) / radix;
  }
  fixTies(order, level, tieBreak);
  return order;
}

/** Re-sort each run of equal quantised levels with the full tie-break. */
function fixTies(order: Int32Array, level: Float64Array, tieBreak: (a: number, b: number) => number): void {
  const n = order.length;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && level[end] === level[start]) end++;
    if (end - start > 1) order.subarray(start, end).sort(tieBreak);
    start = end;
  }
}

/** Plain comparator sort, for keys that are not all finite. */
function comparatorOrder(key: Float64Array, tieBreak: (a: number, b: number) => number): Int32Array {
  const idx = Array.from({ length: key.length }, (_, i) => i);
  idx.sort((a, b) => {
    const ka = key[a]!;
    const kb = key[b]!;
    if (ka !== kb && !(Number.isNaN(ka) && Number.isNaN(kb))) {
      if (Number.isNaN(ka)) return 1;
      if (Number.isNaN(kb)) return -1;
      return ka < kb ? -1 : 1;
    }
    return tieBreak(a, b);
  });
  return Int32Array.from(idx);
}
