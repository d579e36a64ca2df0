/**
 * The slowly changing side of KPIs: sites, clusters and pools with when they were registered,
 * institutions, projects, allocations with what the rollups charged to them, and cluster down time.
 */
import { sql } from 'kysely';
import { date, ms, type Db } from '../rows.js';

/** Grid and people dimensions. */
export interface KpiDimensions {
  sites: { id: string; name: string; city: string; province: string }[];
  clusters: { id: string; siteId: string; name: string; kind: string; state: string; registeredAt: number }[];
  pools: { id: string; clusterId: string; gpuType: string; gpus: number; bf16Tflops: number; registeredAt: number }[];
  institutions: { id: string; name: string; shortName: string; province: string }[];
  projects: { id: string; institutionId: string; name: string }[];
}

/** Every site, cluster, pool, institution and project. */
export async function kpiDimensions(db: Db): Promise<KpiDimensions> {
  const [sites, clusters, pools, institutions, projects] = await Promise.all([
    db.selectFrom('sites').select(['id', 'name', 'city', 'province']).orderBy('id').execute(),
    db.selectFrom('clusters').select(['id', 'site_id', 'name', 'kind', 'state', 'created_at']).orderBy('id').execute(),
    db.selectFrom('pools').select(['id', 'cluster_id', 'gpu_type', 'nodes', 'gpus_per_node', 'bf16_tflops', 'created_at']).orderBy('id').execute(),
    db.selectFrom('institutions').select(['id', 'name', 'short_name', 'province']).orderBy('id').execute(),
    db.selectFrom('projects').select(['id', 'institution_id', 'name']).orderBy('id').execute(),
  ]);
  return {
    sites,
    clusters: clusters.map((c) => ({ id: c.id, siteId: c.site_id, name: c.name, kind: c.kind, state: c.state, registeredAt: ms(c.created_at) })),
    pools: pools.map((p) => ({ id: p.id, clusterId: p.cluster_id, gpuType: p.gpu_type, gpus: p.nodes * p.gpus_per_node, bf16Tflops: p.bf16_tflops, registeredAt: ms(p.created_at) })),
    institutions: institutions.map((i) => ({ id: i.id, name: i.name, shortName: i.short_name, province: i.province })),
    projects: projects.map((p) => ({ id: p.id, institutionId: p.institution_id, name: p.name })),
  };
}

/** An allocation overlapping a span, with the GPU-seconds the rollups charged to it over its own period up to `now`. */
export interface AllocationFact {
  id: string; institutionId: string; projectId?: string; periodStart: number; periodEnd: number; gpuHours: number; kind: 'hard' | 'soft'; usedGpuSeconds: number;
}

/**
 * Allocations overlapping [from, to), with their use over their own periods. Budgets charge by the day a
 * window starts in, so whole days are exact: month-aligned awards (the usual quarters) are summed from the
 * monthly rollup in one grouped query, any other from the daily one.
 */
export async function allocationFacts(db: Db, from: number, to: number, institutionId?: string): Promise<AllocationFact[]> {
  const where = institutionId === undefined ? sql`true` : sql`a.institution_id = ${institutionId}`;
  const r = await sql<{ id: string; institution_id: string; project_id: string | null; period_start: Date; period_end: Date; gpu_hours: number; kind: 'hard' | 'soft'; daily: number | null }>`
    select a.id, a.institution_id, a.project_id, a.period_start, a.period_end, a.gpu_hours, a.kind,
           case when ${MONTH_ALIGNED} then null else
             coalesce((select sum(d.gpu_seconds) from kpi_ledger_daily d
                        where d.institution_id = a.institution_id and (a.project_id is null or d.project_id = a.project_id)
                          and d.day >= (a.period_start at time zone 'UTC')::date and d.day < (a.period_end at time zone 'UTC')::date), 0)::float8 end as daily
      from allocations a
     where a.period_start < ${date(to)} and a.period_end > ${date(from)} and ${where}
     order by a.institution_id, a.period_start, a.id`.execute(db);
  const aligned = r.rows.filter((a) => a.daily === null);
  const months = new Map<string, number>();
  if (aligned.length > 0) {
    const lo = Math.min(...aligned.map((a) => ms(a.period_start)));
    const hi = Math.max(...aligned.map((a) => ms(a.period_end)));
    const inst = institutionId === undefined ? sql`true` : sql`institution_id = ${institutionId}`;
    const m = await sql<{ i: string; p: string; m: Date; s: number }>`
      select institution_id as i, project_id as p, month::timestamp at time zone 'UTC' as m, sum(gpu_seconds)::float8 as s
        from kpi_ledger_monthly where month >= ${date(lo)}::date and month < ${date(hi)}::date and ${inst}
       group by 1, 2, 3`.execute(db);
    for (const x of m.rows) months.set(`${x.i}|${x.p}|${ms(x.m)}`, x.s);
  }
  const used = (a: (typeof r.rows)[number]): number => {
    if (a.daily !== null) return a.daily;
    let sum = 0;
    for (const [k, v] of months) {
      const [i, p, t] = k.split('|');
      const at = Number(t);
      if (i === a.institution_id && (a.project_id === null || p === a.project_id) && at >= ms(a.period_start) && at < ms(a.period_end)) sum += v;
    }
    return sum;
  };
  return r.rows.map((a) => ({
    id: a.id, institutionId: a.institution_id, ...(a.project_id !== null ? { projectId: a.project_id } : {}), periodStart: ms(a.period_start), periodEnd: ms(a.period_end),
    gpuHours: a.gpu_hours, kind: a.kind, usedGpuSeconds: used(a),
  }));
}

const MONTH_ALIGNED = sql`date_trunc('month', a.period_start at time zone 'UTC') = (a.period_start at time zone 'UTC')
                      and date_trunc('month', a.period_end at time zone 'UTC') = (a.period_end at time zone 'UTC')`;

/** Seconds each cluster was sampled down (offline or unreachable) in [from, to). */
export async function downSeconds(db: Db, from: number, to: number): Promise<{ clusterId: string; seconds: number }[]> {
  const r = await sql<{ clusterId: string; seconds: number }>`
    select cluster_id as "clusterId", sum(interval_seconds)::float8 as seconds
      from cluster_health_samples
     where at >= ${date(from)} and at < ${date(to)} and (state = 'offline' or not reachable)
     group by 1 order by 1`.execute(db);
  return r.rows;
}
