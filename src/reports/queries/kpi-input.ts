/**
 * Assemble the rows the KPI definitions need for one period, from the store: dimensions, facts summed
 * over the period's whole UTC days (rollups by default), allocations and down time. The only I/O between
 * a period and its KPIs.
 */
import { allocationFacts, downSeconds, kpiDimensions } from '../../store/repositories/kpi-dimensions.js';
import { jobEndFacts, usageFacts, waitFacts, type FactSource } from '../../store/repositories/kpi-facts.js';
import { waitStatsByGroup } from '../../store/repositories/kpi-wait-stats.js';
import type { Db } from '../../store/rows.js';
import { GROUPINGS, type FinalState, type Grouping, type KpiInput, type SizeClass, type UnmanagedSystem } from '../kpi/types.js';
import type { FactDimensions } from '../../store/repositories/kpi-facts.js';
import type { Period } from '../period.js';

const DAY_MS = 86_400_000;

/** Options of a load. */
export interface LoadOptions {
  now: number;
  unmanaged?: UnmanagedSystem[];
  institutionTargets?: number[];
  /** The groupings the input will be computed for (default all): facts keep only the dimensions they need. */
  groupings?: readonly Grouping[];
  /** Narrow facts to one institution (what a non-national user may see). */
  institutionId?: string;
  source?: FactSource;
  /**
   * Where wait percentiles are taken: `sql` (default; per group, where the data is) or `rows` (the
   * bucketed rows come to the pure definition — tests compare the two).
   */
  waitsIn?: 'sql' | 'rows';
}

/** The period widened to whole UTC days (facts are daily). */
export function wholeDays(p: Period): Period {
  const start = Math.floor(p.start / DAY_MS) * DAY_MS;
  const end = Math.ceil(p.end / DAY_MS) * DAY_MS;
  return start === p.start && end === p.end ? p : { ...p, start, end };
}

/** The fact dimensions `groupings` need (national needs none: every fact is summed). */
export function dimensionsFor(groupings: readonly Grouping[]): FactDimensions {
  const has = (...g: Grouping[]) => groupings.some((x) => g.includes(x));
  return {
    cluster: has('site', 'province', 'cluster', 'gpuType'),
    gpuType: has('gpuType'),
    institution: has('institution', 'institutionProvince'),
    project: has('project'),
  };
}

/** Load every row of the KPI input of `period` (widened to whole days). */
export async function loadKpiInput(db: Db, period: Period, opts: LoadOptions): Promise<KpiInput> {
  const p = wholeDays(period);
  const q = { from: p.start, to: p.end, keep: dimensionsFor(opts.groupings ?? GROUPINGS), ...(opts.source ? { source: opts.source } : {}), ...(opts.institutionId ? { institutionId: opts.institutionId } : {}) };
  const groupings = [...new Set<Grouping>(['national', ...(opts.groupings ?? GROUPINGS)])];
  const inSql = (opts.waitsIn ?? 'sql') === 'sql';
  const [dims, usage, waits, stats, ends, allocations, down] = await Promise.all([
    kpiDimensions(db),
    usageFacts(db, q),
    inSql ? Promise.resolve([]) : waitFacts(db, q),
    inSql ? Promise.all(groupings.map(async (g) => [g, await waitStatsByGroup(db, q, g)] as const)) : Promise.resolve([]),
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
    ...(inSql ? { waitStats: Object.fromEntries(stats) } : {}),
  };
}
