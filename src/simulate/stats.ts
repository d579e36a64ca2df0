/**
 * Small statistics the report needs: mean, percentiles, bounded slowdown, Jain's fairness index and
 * rounding that keeps the JSON report stable across machines.
 */

/** Round to `digits` decimals; -0 becomes 0 so the JSON never prints "-0". */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return 0;
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
}

/** Arithmetic mean; 0 for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * The p-th percentile (0–100) of an ascending-sorted list by the nearest-rank method: the smallest value
 * with at least p% of the values at or below it. Nearest rank never interpolates, so every reported
 * percentile is a wait some job really had.
 */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Threshold of the bounded slowdown, seconds: jobs shorter than this count as this long. */
export const BOUNDED_SLOWDOWN_THRESHOLD_SECONDS = 10;

/**
 * Bounded slowdown of one job: max(1, (wait + run) / max(run, τ)) with τ = 10 s (Feitelson et al.), so a
 * 1-second job that waited a minute does not dominate the mean the way plain slowdown would let it.
 */
export function boundedSlowdown(waitSeconds: number, runSeconds: number): number {
  return Math.max(1, (waitSeconds + runSeconds) / Math.max(runSeconds, BOUNDED_SLOWDOWN_THRESHOLD_SECONDS));
}

/**
 * Jain's fairness index (Σx)² / (n·Σx²) over non-negative values: 1 when all are equal, 1/n when one gets
 * everything. 1 for an empty list or all zeros (nobody was treated differently).
 */
export function jainIndex(values: readonly number[]): number {
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
  }
  if (values.length === 0 || sumSq === 0) return 1;
  return (sum * sum) / (values.length * sumSq);
}

/** Summary of a distribution of waits or slowdowns. */
export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Summarise values (any order; not modified), rounded to `digits`. */
export function distribution(values: readonly number[], digits = 1): Distribution {
  const sorted = Float64Array.from(values).sort();
  const arr = sorted as unknown as number[];
  return {
    count: values.length,
    mean: round(mean(arr), digits),
    p50: round(percentileSorted(arr, 50), digits),
    p90: round(percentileSorted(arr, 90), digits),
    p99: round(percentileSorted(arr, 99), digits),
    max: round(sorted.length ? sorted[sorted.length - 1]! : 0, digits),
  };
}

/**
 * Weighted max-min fair division ("water-filling") of `capacity` among claimants with demands (caps) and
 * weights: everybody gets capacity in proportion to weight, nobody more than their demand, and what a
 * capped claimant cannot use is shared again among the rest. Returns each claimant's fair amount.
 */
export function waterFill(capacity: number, demands: readonly number[], weights: readonly number[]): number[] {
  const n = demands.length;
  const out = new Array<number>(n).fill(0);
  let remaining = capacity;
  let active = [...Array(n).keys()].filter((i) => (demands[i] ?? 0) > 0 && (weights[i] ?? 0) > 0);
  while (active.length > 0 && remaining > 1e-9) {
    const totalWeight = active.reduce((s, i) => s + weights[i]!, 0);
    const level = remaining / totalWeight;
    const capped = active.filter((i) => demands[i]! - out[i]! <= level * weights[i]!);
    if (capped.length === 0) {
      for (const i of active) out[i] = out[i]! + level * weights[i]!;
      break;
    }
    for (const i of capped) {
      remaining -= demands[i]! - out[i]!;
      out[i] = demands[i]!;
    }
    active = active.filter((i) => !capped.includes(i));
  }
  return out;
}
