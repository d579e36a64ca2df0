/**
 * `ncg.v1.ReportService` (proto/ncg/v1/reports.proto): the same ReportService REST's /v1/kpis,
 * /v1/reports/pillar5 and /v1/reports/snapshots call, so definitions, scoping and errors are identical.
 */
import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { KpiRow } from '../../reports/kpi/compute.js';
import type { WaitStats } from '../../reports/kpi/waits.js';
import { pillar5Csv } from '../../reports/render/csv.js';
import { pillar5Html } from '../../reports/render/pillar5-html.js';
import type { ReportService } from '../../reports/report-service.js';
import { unary, type CallContext, type Request } from './call.js';

/** What the report handlers need. */
export interface ReportHandlerDeps extends CallContext {
  reports: ReportService;
}

const text = (r: Request, name: string): string | undefined => (typeof r[name] === 'string' && r[name] !== '' ? (r[name] as string) : undefined);
const opt = <K extends string>(name: K, v: number | null | undefined): Partial<Record<K, number>> => (v === null || v === undefined ? {} : ({ [name]: v } as Record<K, number>));

function waits(w: WaitStats): Record<string, unknown> {
  return { jobs: w.jobs, ...opt('mean_seconds', w.meanSeconds), ...opt('p50_seconds', w.p50Seconds), ...opt('p90_seconds', w.p90Seconds) };
}

/** A KpiRow as an `ncg.v1.KpiRow` message. */
export function kpiRowMessage(r: KpiRow): Record<string, unknown> {
  return {
    key: r.key, label: r.label,
    ...(r.capacity ? { gpus: r.capacity.gpus, bf16_pflops: r.capacity.bf16Pflops, gpu_hours_available: r.capacity.gpuHoursAvailable, gpus_by_type: r.capacity.gpusByType } : {}),
    gpu_hours_delivered: r.gpuHoursDelivered, ...opt('utilisation', r.utilisation), ...opt('efficiency', r.efficiency), ...opt('efficiency_coverage', r.efficiencyCoverage),
    waits: waits(r.waits), waits_by_size: Object.fromEntries(Object.entries(r.waits.bySize).map(([k, v]) => [k, waits(v)])),
    jobs_by_state: r.jobsByState, active_users: r.activeUsers, active_projects: r.activeProjects, institutions_served: r.institutionsServed,
  };
}

const periodOf = (r: Request) => ({ period: text(r, 'period'), from: text(r, 'from'), to: text(r, 'to') });
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The ReportService implementation for grpc-js. */
export function reportHandlers(deps: ReportHandlerDeps): grpc.UntypedServiceImplementation {
  return {
    GetKpis: unary(deps, 'ReportService.GetKpis', 'ncg.v1.GetKpisRequest', async (p, r) => {
      const k = await deps.reports.kpis(p, compact({ ...periodOf(r), groupBy: text(r, 'group_by') }));
      return {
        period: k.period.name, period_start_ms: Date.parse(k.period.start), period_end_ms: Date.parse(k.period.end), as_of_ms: Date.parse(k.asOf), group_by: k.groupBy,
        national: kpiRowMessage(k.national), groups: k.groups.map(kpiRowMessage),
        institutions_served: k.institutionsServed.served, institutions_registered: k.institutionsServed.registered, targets: k.institutionsServed.targets,
        clusters_federated: k.consolidation.clustersFederated, ...opt('managed_share_gpus', k.consolidation.managedShareGpus),
        awarded_gpu_hours: k.allocations.awardedGpuHours, used_gpu_hours: k.allocations.usedGpuHours, exhausted_institutions: k.allocations.exhaustedInstitutions,
        document_json: JSON.stringify(k),
      };
    }),
    GetPillar5Report: unary(deps, 'ReportService.GetPillar5Report', 'ncg.v1.GetPillar5ReportRequest', async (_p, r) => {
      const format = text(r, 'format') ?? 'json';
      if (!['json', 'csv', 'html'].includes(format)) throw DomainError.invalid(`format must be json, csv or html, got ${JSON.stringify(format.slice(0, 20))}`, [{ path: 'format', message: 'json, csv or html' }]);
      const doc = await deps.reports.pillar5(compact(periodOf(r)));
      const body = format === 'csv' ? pillar5Csv(doc) : format === 'html' ? pillar5Html(doc) : JSON.stringify(doc);
      return { period: doc.period.name, content_type: format === 'csv' ? 'text/csv' : format === 'html' ? 'text/html' : 'application/json', body };
    }),
    ListSnapshots: unary(deps, 'ReportService.ListSnapshots', 'ncg.v1.ListSnapshotsRequest', async () => ({
      snapshots: (await deps.reports.snapshots()).map((s) => ({
        id: s.id, kind: s.kind, period: s.period, period_start_ms: Date.parse(s.periodStart), period_end_ms: Date.parse(s.periodEnd), sha256: s.sha256, created_at_ms: Date.parse(s.createdAt), verified: s.verified,
      })),
    })),
  };
}
