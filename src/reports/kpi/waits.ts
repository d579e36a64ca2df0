/**
 * Wait time (submit → start), XDMoD's "wait duration": mean, median (p50) and p90 over the jobs that
 * started in the period, overall and per GPU-size class. Percentiles are nearest-rank: the smallest wait w
 * such that at least ⌈p·N⌉ of the N jobs waited ≤ w. Waits arrive bucketed from the rollups (exact below
 * 10 minutes, then 10 s, 1 min and 10 min steps — under 2 % off), the mean from the exact sums.
 */
import { SIZE_CLASSES, type SizeClass, type WaitRow } from './types.js';
import { round } from './round.js';

/** Wait statistics of a set of jobs (null when no job started). */
export interface WaitStats {
  jobs: number;
  meanSeconds: number | null;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

/** Wait statistics overall and per GPU-size class. */
export interface WaitKpis extends WaitStats {
  bySize: Record<SizeClass, WaitStats>;
}

/** The GPU-size class of a job with `gpus` GPUs in all. */
export function sizeClassOf(gpus: number): SizeClass {
  if (gpus <= 1) return '1';
  if (gpus <= 4) return '2-4';
  if (gpus <= 8) return '5-8';
  if (gpus <= 32) return '9-32';
  return '33+';
}

/** The bucket a wait is rolled up into (mirrors the SQL in src/store/repositories/kpi-rollups.ts). */
export function waitBucket(seconds: number): number {
  const w = Math.max(0, seconds);
  if (w < 600) return Math.floor(w);
  if (w < 3_600) return Math.floor(w / 10) * 10;
  if (w < 86_400) return Math.floor(w / 60) * 60;
  return Math.floor(w / 600) * 600;
}

/** Nearest-rank percentile `p` (0–1) of weighted values; null when there are none. */
export function weightedPercentile(values: readonly { value: number; weight: number }[], p: number): number | null {
  return percentileOfSorted([...values].sort((a, b) => a.value - b.value), p);
}

function percentileOfSorted(sorted: readonly { value: number; weight: number }[], p: number): number | null {
  let total = 0;
  for (const v of sorted) total += Math.max(0, v.weight);
  if (total === 0) return null;
  // Whole percents, integer arithmetic: 0.9 × 70 is 63.000…01 in floating point, and the rank must be 63.
  const rank = Math.max(1, Math.ceil((Math.round(p * 100) * total) / 100));
  let seen = 0;
  for (const v of sorted) {
    seen += Math.max(0, v.weight);
    if (seen >= rank) return v.value;
  }
  return sorted[sorted.length - 1]!.value;
}

// Rows sorted by wait once; every subset keeps that order, so no percentile sorts again.
function stats(sorted: readonly WaitRow[]): WaitStats {
  let jobs = 0;
  let sum = 0;
  for (const r of sorted) {
    jobs += r.jobs;
    sum += r.waitSumSeconds;
  }
  if (jobs === 0) return { jobs: 0, meanSeconds: null, p50Seconds: null, p90Seconds: null };
  const values = sorted.map((r) => ({ value: r.waitSeconds, weight: r.jobs }));
  return { jobs, meanSeconds: round(sum / jobs, 1), p50Seconds: percentileOfSorted(values, 0.5), p90Seconds: percentileOfSorted(values, 0.9) };
}

/** One (group, size class) of statistics computed where the data is (sizeClass '*' = all sizes). */
export interface WaitStatRow { group: string; sizeClass: string; jobs: number; waitSumSeconds: number; p50Seconds: number; p90Seconds: number }

function fromStat(r: WaitStatRow | undefined): WaitStats {
  if (!r || r.jobs === 0) return { jobs: 0, meanSeconds: null, p50Seconds: null, p90Seconds: null };
  return { jobs: r.jobs, meanSeconds: round(r.waitSumSeconds / r.jobs, 1), p50Seconds: r.p50Seconds, p90Seconds: r.p90Seconds };
}

/** Wait KPIs of one group from precomputed statistics rows (already narrowed to that group). */
export function waitKpisFromStats(rows: readonly WaitStatRow[]): WaitKpis {
  const by = new Map(rows.map((r) => [r.sizeClass, r]));
  const bySize = Object.fromEntries(SIZE_CLASSES.map((c) => [c, fromStat(by.get(c))])) as Record<SizeClass, WaitStats>;
  return { ...fromStat(by.get('*')), bySize };
}

/** Wait KPIs of the rows (already narrowed to one group). */
export function waitKpis(rows: readonly WaitRow[]): WaitKpis {
  const sorted = [...rows].sort((a, b) => a.waitSeconds - b.waitSeconds);
  const bySizeRows = new Map<SizeClass, WaitRow[]>(SIZE_CLASSES.map((c) => [c, []]));
  for (const r of sorted) bySizeRows.get(r.sizeClass)?.push(r);
  const bySize = Object.fromEntries(SIZE_CLASSES.map((c) => [c, stats(bySizeRows.get(c)!)])) as Record<SizeClass, WaitStats>;
  return { ...stats(sorted), bySize };
}
