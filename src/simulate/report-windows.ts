/**
 * Time windows of a report and what happens in them: utilisation per window, and share attainment.
 *
 * Windows: the workload's submit span ÷ 100, rounded up to a whole minute (at least one minute), from the
 * first submit to the end of the run — fixed by the workload, so every compared policy uses the same ones.
 *
 * Share attainment (per institution): in each window, the GPU-seconds delivered to everybody are divided by
 * weighted max-min fairness ("water-filling") among the institutions that had demand in that window — an
 * institution has demand in a window when it had a pending or running job at some time in it, and its demand
 * is the integral of the GPUs its outstanding jobs asked for — with weights = their shares, and nobody
 * entitled to more than its demand. Summed over windows this gives its *entitled* GPU-hours; attainment is
 * attained ÷ entitled (1 = got exactly its fair part of what was delivered while it was asking). Jain's
 * index is taken over the attainments of all institutions that ever had demand.
 */
import type { Recorder } from './recorder.js';
import { jainIndex, waterFill } from './stats.js';

/** Window width in ms for a workload whose submits span `spanMs`. */
export function windowWidthMs(spanMs: number): number {
  return Math.max(60_000, Math.ceil(spanMs / 100 / 60_000) * 60_000);
}

/** The windows over [start, end). */
export interface Windows {
  start: number;
  width: number;
  count: number;
  /** Actual length of each window in ms (the last one may be cut at the end). */
  lengths: Float64Array;
}

/** Windows of `width` covering [start, end). */
export function makeWindows(start: number, end: number, width: number): Windows {
  const count = Math.max(1, Math.ceil((end - start) / width));
  const lengths = new Float64Array(count);
  for (let i = 0; i < count; i++) lengths[i] = Math.max(0, Math.min(width, end - (start + i * width)));
  return { start, width, count, lengths };
}

/** Allocated ÷ available GPUs per window. */
export function utilisationSeries(rec: Recorder, w: Windows, capacityGpus: number): number[] {
  const { area } = rec.allocated.integrate(w.start, w.width, w.count);
  return Array.from(area, (a, i) => (w.lengths[i]! > 0 && capacityGpus > 0 ? a / (capacityGpus * w.lengths[i]!) : 0));
}

/** One institution's attainment over the run. */
export interface Attainment {
  institutionId: string;
  /** Windows in which it had demand. */
  demandWindows: number;
  demandGpuHours: number;
  entitledGpuHours: number;
  attainedGpuHours: number;
  /** attained ÷ entitled (1 when entitled is 0). */
  attainment: number;
}

/** Attainment per institution (sorted by id) and Jain's index over them. */
export function shareAttainment(rec: Recorder, w: Windows, shares: ReadonlyMap<string, number>): { rows: Attainment[]; jain: number } {
  const ids = [...rec.institutions.keys()].sort();
  const running = ids.map((id) => rec.institutions.get(id)!.running.integrate(w.start, w.width, w.count).area);
  const demand = ids.map((id) => rec.institutions.get(id)!.demand.integrate(w.start, w.width, w.count));
  const entitled = new Float64Array(ids.length);
  const weights = ids.map((id) => shares.get(id) ?? 0);
  for (let b = 0; b < w.count; b++) {
    let delivered = 0;
    for (let i = 0; i < ids.length; i++) delivered += running[i]![b]!;
    if (delivered <= 0) continue;
    const caps = ids.map((_, i) => (demand[i]!.positive[b] ? demand[i]!.area[b]! : 0));
    const fair = waterFill(delivered, caps, weights);
    for (let i = 0; i < ids.length; i++) entitled[i] = entitled[i]! + fair[i]!;
  }
  const toHours = (gpuMs: number): number => gpuMs / 3_600_000;
  const rows = ids.map((id, i) => {
    const attained = running[i]!.reduce((s, v) => s + v, 0);
    return {
      institutionId: id,
      demandWindows: demand[i]!.positive.reduce((s, v) => s + v, 0),
      demandGpuHours: toHours(demand[i]!.area.reduce((s, v) => s + v, 0)),
      entitledGpuHours: toHours(entitled[i]!),
      attainedGpuHours: toHours(attained),
      attainment: entitled[i]! > 0 ? attained / entitled[i]! : 1,
    };
  });
  const jain = jainIndex(rows.filter((r) => r.demandWindows > 0).map((r) => r.attainment));
  return { rows, jain };
}
