/**
 * Wait times and bounded slowdown of finished jobs, overall, per institution and per GPU-size class.
 * Wait = start of the run that completed − submit (a preempted job's lost run counts as waiting).
 * Jobs that never started are left out of these numbers and counted as `unfinished` in the summary.
 */
import { boundedSlowdown, distribution, percentileSorted, round, type Distribution } from './stats.js';
import type { SimResult } from './engine.js';

/** GPU-size classes of the report: 1, 2–8, 9–64, >64 GPUs. */
export const SIZE_CLASSES = [
  { label: '1', min: 1, max: 1 },
  { label: '2-8', min: 2, max: 8 },
  { label: '9-64', min: 9, max: 64 },
  { label: '>64', min: 65, max: Infinity },
] as const;

/** Wait figures of one group of jobs. */
export interface WaitRow extends Distribution {
  /** `institution` id or size-class label. */
  key: string;
}

/** All wait figures of a run. */
export interface WaitReport {
  waitSeconds: Distribution;
  boundedSlowdown: Distribution;
  byInstitution: WaitRow[];
  bySize: WaitRow[];
  /** Wait at each percentile 0, 1, …, 100 (for CDF charts). */
  quantiles: number[];
  /** Per size class, the same 101 percentiles. */
  quantilesBySize: { key: string; quantiles: number[] }[];
}

/** Compute the wait report of a run. */
export function waitReport(result: SimResult): WaitReport {
  const { jobs, recorder: rec } = result;
  const all: number[] = [];
  const slow: number[] = [];
  const byInst = new Map<string, number[]>();
  const bySize = SIZE_CLASSES.map(() => [] as number[]);
  for (const j of jobs) {
    const end = rec.endAt[j.index]!;
    if (Number.isNaN(end)) continue;
    const wait = (rec.startAt[j.index]! - j.submitAt) / 1000;
    all.push(wait);
    slow.push(boundedSlowdown(wait, j.runSeconds));
    let list = byInst.get(j.institutionId);
    if (!list) byInst.set(j.institutionId, (list = []));
    list.push(wait);
    const c = SIZE_CLASSES.findIndex((s) => j.gpus >= s.min && j.gpus <= s.max);
    bySize[c]!.push(wait);
  }
  return {
    waitSeconds: distribution(all),
    boundedSlowdown: distribution(slow, 2),
    byInstitution: [...byInst.keys()].sort().map((key) => ({ key, ...distribution(byInst.get(key)!) })),
    bySize: SIZE_CLASSES.map((s, i) => ({ key: s.label, ...distribution(bySize[i]!) })),
    quantiles: quantiles(all),
    quantilesBySize: SIZE_CLASSES.map((s, i) => ({ key: s.label, quantiles: quantiles(bySize[i]!) })),
  };
}

function quantiles(values: number[]): number[] {
  const sorted = Float64Array.from(values).sort() as unknown as number[];
  return Array.from({ length: 101 }, (_, p) => round(percentileSorted(sorted, p), 1));
}
