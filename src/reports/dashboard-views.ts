/**
 * The dashboard's pages as data: the national overview, an institution, a cluster. Each is one REST
 * call, so the page and the browser test read the same numbers. Live parts (GPUs in use, the queue,
 * the last hours of use) come straight from the store; period parts from the KPI rollups.
 */
import type { Principal } from '../domain/principal.js';
import { DomainError } from '../domain/errors.js';
import type { ClusterView, InventoryService } from '../services/inventory-service.js';
import { healthHistory, type HealthSample } from '../store/repositories/cluster-health.js';
import { dailyUsage } from '../store/repositories/kpi-facts.js';
import { gpusInUse, jobStateCounts, queueDepth, usageSeries } from '../store/repositories/kpi-live.js';
import { allocationUsage, type AllocationUsage } from '../store/repositories/usage-report.js';
import type { Db } from '../store/rows.js';
import { computeKpis, type KpiRow } from './kpi/compute.js';
import { institutionsServed, type InstitutionsServed } from './kpi/national.js';
import { gpuHours, round } from './kpi/round.js';
import { periodContaining } from './period.js';
import { assertMayViewInstitution } from './report-access.js';
import type { ReportService } from './report-service.js';

const HOUR = 3_600_000;
/** The recent-use chart: the last 6 hours in 10-minute buckets (the ledger has 1-minute windows). */
const RECENT_MS = 6 * HOUR;
const BUCKET_MS = 10 * 60_000;

/** The national overview. */
export interface Overview {
  asOf: string;
  period: string;
  capacity: { gpus: number; bf16Pflops: number; byType: Record<string, number>; bySite: { id: string; name: string; province: string; gpusByType: Record<string, number>; gpus: number }[] };
  inUse: { gpus: number; jobs: number; byType: Record<string, number> };
  queue: { jobs: number; gpus: number; byType: { gpuType: string; jobs: number; gpus: number }[] };
  recent: { bucketMinutes: number; points: { t: string; gpuHours: number; utilisation: number }[] };
  institutionsServed: Omit<InstitutionsServed, 'ids'>;
  national: KpiRow;
  byInstitutionProvince: { province: string; gpuHours: number; institutionsServed: number }[];
}

/** The pages' data, over the report service and the live inventory. */
export class DashboardViews {
  constructor(private readonly deps: { db: Db; reports: ReportService; inventory: Pick<InventoryService, 'listClusters'> }) {}

  /** The national overview: capacity, use now, the queue, recent utilisation, this quarter's KPIs. */
  async overview(): Promise<Overview> {
    const now = this.deps.reports.now();
    const quarter = periodContaining('quarter', now);
    const input = await this.deps.reports.input(quarter, ['national', 'site', 'institutionProvince']);
    const [inUse, queue, recent] = await Promise.all([gpusInUse(this.deps.db), queueDepth(this.deps.db), usageSeries(this.deps.db, now - RECENT_MS, now, BUCKET_MS, 'none')]);
    const sites = computeKpis(input, 'site').groups;
    const national = computeKpis(input, 'national').national;
    const gpus = national.capacity?.gpus ?? 0;
    const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
    const byType: Record<string, number> = {};
    for (const u of inUse) byType[u.gpuType] = (byType[u.gpuType] ?? 0) + u.gpus;
    const { ids: _ids, ...served } = institutionsServed(input);
    return {
      asOf: new Date(now).toISOString(),
      period: quarter.name,
      capacity: {
        gpus, bf16Pflops: national.capacity?.bf16Pflops ?? 0, byType: national.capacity?.gpusByType ?? {},
        bySite: sites.map((s) => ({ id: s.key, name: s.label, province: input.sites.find((x) => x.id === s.key)?.province ?? '', gpusByType: s.capacity?.gpusByType ?? {}, gpus: s.capacity?.gpus ?? 0 })),
      },
      inUse: { gpus: sum(inUse, (u) => u.gpus), jobs: sum(inUse, (u) => u.jobs), byType },
      queue: { jobs: sum(queue, (q) => q.jobs), gpus: sum(queue, (q) => q.gpus), byType: queue },
      recent: {
        bucketMinutes: BUCKET_MS / 60_000,
        points: recent.map((r) => ({ t: new Date(r.t).toISOString(), gpuHours: gpuHours(r.gpuSeconds), utilisation: gpus > 0 ? round(r.gpuSeconds / ((gpus * BUCKET_MS) / 1000), 4) : 0 })),
      },
      institutionsServed: served,
      national,
      byInstitutionProvince: computeKpis(input, 'institutionProvince').groups.map((g) => ({ province: g.key, gpuHours: g.gpuHoursDelivered, institutionsServed: g.institutionsServed })),
    };
  }

  /** An institution: its allocations with projected exhaustion, use by project, jobs by state, the queue. */
  async institution(p: Principal, id: string) {
    assertMayViewInstitution(p, id);
    const now = this.deps.reports.now();
    const quarter = periodContaining('quarter', now);
    const input = await this.deps.reports.input(quarter, ['institution']);
    const inst = input.institutions.find((i) => i.id === id);
    if (!inst) throw new DomainError('not_found', `no institution ${id}`, { institutionId: id });
    const day = 86_400_000;
    const from = Math.floor(now / day) * day - 29 * day;
    const [allocations, recent, daily, states, queue] = await Promise.all([
      allocationUsage(this.deps.db, { institutionId: id }, now, 7 * day),
      usageSeries(this.deps.db, now - RECENT_MS, now, BUCKET_MS, 'project', id),
      dailyUsage(this.deps.db, { from, to: from + 30 * day, institutionId: id }, true),
      jobStateCounts(this.deps.db, id),
      queueDepth(this.deps.db, id),
    ]);
    const row = computeKpis(input, 'institution').groups.find((g) => g.key === id)!;
    const iso = (t: number) => new Date(t).toISOString();
    return {
      asOf: iso(now), period: quarter.name, institution: inst,
      projects: input.projects.filter((x) => x.institutionId === id),
      kpis: row,
      allocations: allocations.filter((a) => a.periodEnd > now - 90 * day).map((a: AllocationUsage) => ({ ...a, periodStart: iso(a.periodStart), periodEnd: iso(a.periodEnd), ...(a.projectedExhaustionAt !== undefined ? { projectedExhaustionAt: iso(a.projectedExhaustionAt) } : {}) })),
      recent: { bucketMinutes: BUCKET_MS / 60_000, points: recent.map((r) => ({ t: iso(r.t), projectId: r.key, gpuHours: gpuHours(r.gpuSeconds) })) },
      daily: daily.map((d) => ({ day: d.day, projectId: d.key, gpuHours: gpuHours(d.gpuSeconds) })),
      jobsByState: states,
      queue,
    };
  }

  /** A cluster: pools with live nodes and GPUs, GPUs allocated, and its health over the last day. */
  async cluster(id: string): Promise<{ asOf: string; cluster: ClusterView; inUse: { gpuType: string; gpus: number; jobs: number }[]; health: HealthSample[] }> {
    const now = this.deps.reports.now();
    const cluster = (await this.deps.inventory.listClusters()).find((c) => c.id === id);
    if (!cluster) throw new DomainError('not_found', `no cluster ${id}`, { clusterId: id });
    const [inUse, health] = await Promise.all([gpusInUse(this.deps.db), healthHistory(this.deps.db, id, now - 24 * HOUR, now + 1)]);
    return { asOf: new Date(now).toISOString(), cluster, inUse: inUse.filter((u) => u.clusterId === id).map(({ gpuType, gpus, jobs }) => ({ gpuType, gpus, jobs })), health };
  }
}
