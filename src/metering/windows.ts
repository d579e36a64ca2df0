/**
 * Metering windows: [start, end) of one step, aligned to multiples of the step since the epoch, so every
 * meter (and every re-run) cuts time at the same instants and a window's key never depends on when it
 * was metered. A query_range evaluated at a window's end covers the window (start, end].
 */

/** A window [start, end) in epoch ms. */
export interface Window {
  start: number;
  end: number;
}

/** `t` rounded down to a multiple of `stepMs`. */
export function alignDown(t: number, stepMs: number): number {
  return Math.floor(t / stepMs) * stepMs;
}

/** `t` rounded up to a multiple of `stepMs`. */
export function alignUp(t: number, stepMs: number): number {
  return Math.ceil(t / stepMs) * stepMs;
}

/** The aligned windows that lie inside [alignDown(from), alignUp(to)), oldest first. */
export function windowsBetween(from: number, to: number, stepMs: number): Window[] {
  const out: Window[] = [];
  for (let s = alignDown(from, stepMs); s + stepMs <= alignUp(to, stepMs); s += stepMs) out.push({ start: s, end: s + stepMs });
  return out;
}

/**
 * Runs of consecutive windows (each window's start is the previous one's end), at most `max` long: one
 * query_range request each.
 */
export function contiguousSpans(windows: readonly Window[], max: number): Window[][] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const spans: Window[][] = [];
  let current: Window[] = [];
  for (const w of sorted) {
    const prev = current[current.length - 1];
    if (prev && (prev.end !== w.start || current.length >= max)) {
      spans.push(current);
      current = [];
    }
    current.push(w);
  }
  if (current.length > 0) spans.push(current);
  return spans;
}

/** The window whose end is `endSeconds` (a query_range timestamp). */
export function windowEndingAt(endSeconds: number, stepMs: number): Window {
  const end = Math.round(endSeconds * 1000);
  return { start: end - stepMs, end };
}
