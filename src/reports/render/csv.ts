/**
 * CSV renderings (RFC 4180, CRLF line ends, a header row): the KPI answer is wide (one row per group,
 * the national row first), the Pillar-5 report long (section, key, label, metric, value) because its
 * parts have different shapes. Numbers are written exactly as in the JSON; null is an empty cell.
 */
import type { KpiRow } from '../kpi/compute.js';
import { SIZE_CLASSES } from '../kpi/types.js';
import type { KpiReport } from '../kpi/report.js';
import type { Pillar5Report } from '../pillar5.js';

type Cell = string | number | boolean | null;

/** One CSV field, quoted when it must be. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV text of rows (the first is the header). */
export function csvText(rows: readonly Cell[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A KPI row as (metric, value) pairs, in a fixed order. */
export function kpiMetrics(r: KpiRow): [string, Cell][] {
  const sized = SIZE_CLASSES.flatMap((c): [string, Cell][] => [
    [`jobs_started_${c}`, r.waits.bySize[c].jobs],
    [`wait_p50_s_${c}`, r.waits.bySize[c].p50Seconds],
    [`wait_p90_s_${c}`, r.waits.bySize[c].p90Seconds],
  ]);
  return [
    ['gpus', r.capacity?.gpus ?? null],
    ['bf16_pflops', r.capacity?.bf16Pflops ?? null],
    ['gpu_hours_available', r.capacity?.gpuHoursAvailable ?? null],
    ['gpu_hours_delivered', r.gpuHoursDelivered],
    ['utilisation', r.utilisation],
    ['efficiency', r.efficiency],
    ['efficiency_coverage', r.efficiencyCoverage],
    ['jobs_started', r.waits.jobs],
    ['wait_mean_s', r.waits.meanSeconds],
    ['wait_p50_s', r.waits.p50Seconds],
    ['wait_p90_s', r.waits.p90Seconds],
    ...sized,
    ['jobs_succeeded', r.jobsByState.succeeded],
    ['jobs_failed', r.jobsByState.failed],
    ['jobs_cancelled', r.jobsByState.cancelled],
    ['active_users', r.activeUsers],
    ['active_projects', r.activeProjects],
    ['institutions_served', r.institutionsServed],
  ];
}

/** The KPI answer as wide CSV: `period`, `group_by`, `key`, `label`, then every metric. */
export function kpiCsv(report: KpiReport): string {
  const rows = [report.national, ...report.groups];
  const header = ['period', 'group_by', 'key', 'label', ...kpiMetrics(report.national).map(([m]) => m)];
  return csvText([header, ...rows.map((r) => [report.period.name, r.key === 'national' ? 'national' : report.groupBy, r.key, r.label, ...kpiMetrics(r).map(([, v]) => v)])]);
}

/** The Pillar-5 report as long CSV. */
export function pillar5Csv(doc: Pillar5Report): string {
  const rows: Cell[][] = [['section', 'key', 'label', 'metric', 'value']];
  const add = (section: string, key: string, label: string, pairs: [string, Cell][]) => {
    for (const [m, v] of pairs) rows.push([section, key, label, m, v]);
  };
  add('report', doc.period.name, doc.title, [['period_start', doc.period.start], ['period_end', doc.period.end], ['as_of', doc.asOf]]);
  add('national', 'national', 'National', kpiMetrics(doc.national));
  for (const [type, n] of Object.entries(doc.national.capacity?.gpusByType ?? {})) rows.push(['capacity_by_gpu_type', type, type, 'gpus', n]);
  add('institutions_served', 'national', 'Institutions with compute access', [
    ['served', doc.institutionsServed.served],
    ['registered', doc.institutionsServed.registered],
    ...doc.institutionsServed.targets.flatMap((t): [string, Cell][] => [[`target_${t.target}_met`, t.met], [`target_${t.target}_progress`, t.progress]]),
  ]);
  const c = doc.consolidation;
  add('consolidation', 'national', 'Consolidation of HPC clusters', [
    ['clusters_federated', c.clustersFederated],
    ...Object.entries(c.clustersByKind).map(([k, n]): [string, Cell] => [`clusters_${k}`, n]),
    ['managed_gpus', c.managedGpus], ['managed_pflops', c.managedPflops],
    ['registered_national_gpus', c.registeredNationalGpus], ['registered_national_pflops', c.registeredNationalPflops],
    ['managed_share_gpus', c.managedShareGpus], ['managed_share_pflops', c.managedSharePflops],
  ]);
  add('allocations', 'national', 'Allocation pipeline', [
    ['awarded_gpu_hours', doc.allocations.awardedGpuHours], ['used_gpu_hours', doc.allocations.usedGpuHours],
    ['institutions_exhausted', doc.allocations.exhaustedInstitutions.length],
  ]);
  for (const r of doc.byProvince) add('province', r.key, r.label, kpiMetrics(r));
  for (const r of doc.bySite) add('site', r.key, r.label, kpiMetrics(r));
  for (const r of doc.byInstitutionProvince) add('institution_province', r.key, r.label, kpiMetrics(r));
  return csvText(rows);
}
