/**
 * Assemble the rows the KPI definitions need for one period, from the store: dimensions, facts summed
 * over the period's whole UTC days (rollups by default), allocations and down time. The only I/O between
 * a period and its KPIs.
 */
import { allocationFacts, downSeconds, kpiDimensions } from '../../store/repositories/kpi-dimensions.js';
import { jobEndFacts, usageFacts, waitFacts, type FactSource } from '../../store/repositories/kpi-facts.js';
import type { Db } from '../../store/rows.js';
import type { FinalState, KpiInput, SizeClass, UnmanagedSystem } from '../kpi/types.js';
import type { Period } from '../period.js';

const DAY_MS = 86_400_000;

/** Options of a load. */
export interface LoadOptions {
  now: number;
  unmanaged?: UnmanagedSystem[];
  institutionTargets?: number[];
  /** Narrow facts to one institution (what a non-national user may see). */
  institutionId?: string;
  source?: FactSource;
}

/** The period widened to whole UTC days (facts are daily). */
export function wholeDays(p: Period): Period {
  const start = Math.floor(p.start / DAY_MS) * DAY_MS;
  const end = Math.ceil(p.end / DAY_MS) * DAY_MS;
  return start === p.start && end === p.end ? p : { ...p, start, end };
}

/** Load every row of the KPI input of `period` (widened to whole days). */
export async function loadKpiInput(db: Db, period: Period, opts: LoadOptions): Promise<KpiInput> {
  const p = wholeDays(period);
  const q = { from: p.start, to: p.end, ...(opts.source ? { source: opts.source } : {}), ...(opts.institutionId ? { institutionId: opts.institutionId } : {}) };
  const [dims, usage, waits, ends, allocations, down] = await Promise.all([
    kpiDimensions(db),
    usageFacts(db, q),
    waitFacts(db, q),
    jobEndFacts(db, q),
    allocationFacts(db, p.start, p.end, opts.institutionId),
    downSeconds(db, p.start, p.end),
  ]);
  const day = new Date(p.start).toISOString().slice(0, 10);
  return {
    period: p,
    now: opts.now,
    ...dims,
    usage: usage.map((u) => ({ ...u, day })),
    waits: waits.map((w) => ({ ...w, day, sizeClass: w.sizeClass as SizeClass })),
    jobEnds: ends.map((e) => ({ ...e, day, state: e.state as FinalState })),
    down,
    allocations,
    unmanaged: opts.unmanaged ?? [],
    institutionTargets: opts.institutionTargets ?? [100, 150],
  };
}
