/**
 * One KPI answer: the period, the grid's clock, the grouping's rows and the national-only KPIs. This is
 * what GET /v1/kpis, gRPC ReportService.GetKpis and `ncg kpi` return.
 */
import { computeKpis, type KpiRow } from './compute.js';
import { allocationPipeline, consolidation, institutionsServed, type AllocationPipeline, type Consolidation, type InstitutionsServed } from './national.js';
import type { Grouping, KpiInput } from './types.js';

/** A KPI answer. */
export interface KpiReport {
  period: { name: string; kind: string; start: string; end: string };
  /** The grid's clock when computed (ISO); hours after it are not counted as available. */
  asOf: string;
  groupBy: Grouping;
  national: KpiRow;
  groups: KpiRow[];
  institutionsServed: InstitutionsServed;
  consolidation: Consolidation;
  allocations: AllocationPipeline;
}

/** Compute the whole KPI answer for `input` grouped by `groupBy`. */
export function kpiReport(input: KpiInput, groupBy: Grouping): KpiReport {
  const grouped = computeKpis(input, groupBy);
  const iso = (t: number) => new Date(t).toISOString();
  return {
    period: { name: input.period.name, kind: input.period.kind, start: iso(input.period.start), end: iso(input.period.end) },
    asOf: iso(input.now),
    groupBy,
    national: grouped.national,
    groups: grouped.groups,
    institutionsServed: institutionsServed(input),
    consolidation: consolidation(input),
    allocations: allocationPipeline(input),
  };
}
