/**
 * Decayed usage: GPU-seconds whose weight halves every `halfLifeSeconds` (DESIGN §5.1).
 *
 * The control loop keeps one `DecayedValue` per user leaf and updates it incrementally — apply the decay for
 * the time elapsed since `asOf`, then add the new usage — so each update is O(1) and no history is replayed.
 * Decay is multiplicative, so decaying in many small steps equals decaying once over their sum.
 *
 * Usage accrued over an interval is added at the interval's end, undecayed (`addUsage`). With metering
 * windows of a minute and a half-life of days this over-weights a window by under 0.01 %; `addInterval`
 * integrates the decay inside the interval exactly for callers that add long intervals at once.
 */

/** A decayed quantity and the instant (epoch ms) it is decayed to. */
export interface DecayedValue {
  value: number;
  asOf: number;
}

/** The empty accumulator at `asOf`. */
export function zeroDecayed(asOf: number): DecayedValue {
  return { value: 0, asOf };
}

/** The factor 2^(−elapsed / halfLife); 1 for no (or negative) elapsed time or a non-positive half-life. */
export function decayFactor(elapsedSeconds: number, halfLifeSeconds: number): number {
  if (!(elapsedSeconds > 0) || !(halfLifeSeconds > 0)) return 1;
  return Math.pow(2, -elapsedSeconds / halfLifeSeconds);
}

/**
 * `v` decayed to `now`. Time never runs backwards here: a `now` earlier than `v.asOf` (a late or reordered
 * update) leaves the value as it is rather than inflating it.
 */
export function decayTo(v: DecayedValue, now: number, halfLifeSeconds: number): DecayedValue {
  if (now <= v.asOf) return v;
  return { value: v.value * decayFactor((now - v.asOf) / 1000, halfLifeSeconds), asOf: now };
}

/** Decay `v` to `now`, then add `gpuSeconds` accrued up to `now` (counted at full weight). */
export function addUsage(v: DecayedValue, now: number, gpuSeconds: number, halfLifeSeconds: number): DecayedValue {
  const d = decayTo(v, now, halfLifeSeconds);
  return { value: d.value + gpuSeconds, asOf: d.asOf };
}

/**
 * Decay `v` to `end`, then add `gpus` held steadily over [start, end] with the decay inside the interval
 * integrated exactly: ∫ gpus·2^(−(end−s)/h) ds = gpus·h·(1 − 2^(−Δ/h)) / ln 2.
 */
export function addInterval(v: DecayedValue, start: number, end: number, gpus: number, halfLifeSeconds: number): DecayedValue {
  const seconds = Math.max(0, (end - start) / 1000);
  const weighted = halfLifeSeconds > 0
    ? (gpus * halfLifeSeconds * (1 - decayFactor(seconds, halfLifeSeconds))) / Math.LN2
    : gpus * seconds;
  return addUsage(v, end, weighted, halfLifeSeconds);
}
