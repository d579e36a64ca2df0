/**
 * Usage from the ledger: GPU-seconds grouped by time bucket (UTC day, ISO week, month) or by project,
 * user, cluster, GPU type or institution, and each allocation's budget state. Every source counts (an
 * estimate superseded by a measurement is cancelled by its reversal), and a row belongs to the bucket its
 * window starts in — the rule budgets use too.
 */
import { sql, type RawBuilder } from 'kysely';
import { date, ms, type Db } from '../rows.js';

/** How usage can be grouped. */
export const USAGE_GROUPINGS = ['day', 'week', 'month', 'project', 'user', 'cluster', 'gpuType', 'institution'] as const;
/** One of USAGE_GROUPINGS. */
export type UsageGroupBy = (typeof USAGE_GROUPINGS)[number];

// Fixed SQL per grouping (never built from input). Weeks start on Monday (ISO), labelled by that day.
const KEYS: Record<UsageGroupBy, RawBuilder<string>> = {
  day: sql`to_char(date_trunc('day', window_start at time zone 'UTC'), 'YYYY-MM-DD')`,
  week: sql`to_char(date_trunc('week', window_start at time zone 'UTC'), 'YYYY-MM-DD')`,
  month: sql`to_char(date_trunc('month', window_start at time zone 'UTC'), 'YYYY-MM')`,
  project: sql`project_id`,
  user: sql`user_id`,
  cluster: sql`cluster_id`,
  gpuType: sql`gpu_type`,
  institution: sql`institution_id`,
};

/** Which rows count: windows starting in [from, to), optionally of one institution, project, user, cluster. */
export interface UsageFilter {
  from: number;
  to: number;
  institutionId?: string;
  projectId?: string;
  userId?: string;
  clusterId?: string;
}

/** GPU-seconds of one group. */
export interface UsageGroup {
  key: string;
  gpuSeconds: number;
  /** Of which measured through Prometheus. */
  measuredGpuSeconds: number;
  /** Of which allocation estimates still standing (estimates minus their reversals). */
  estimatedGpuSeconds: number;
}

/** Usage grouped by `groupBy`, in key order. */
export async function usageByGroup(db: Db, filter: UsageFilter, groupBy: UsageGroupBy): Promise<UsageGroup[]> {
  const conditions = [sql`window_start >= ${date(filter.from)}`, sql`window_start < ${date(filter.to)}`];
  if (filter.institutionId !== undefined) conditions.push(sql`institution_id = ${filter.institutionId}`);
  if (filter.projectId !== undefined) conditions.push(sql`project_id = ${filter.projectId}`);
  if (filter.userId !== undefined) conditions.push(sql`user_id = ${filter.userId}`);
  if (filter.clusterId !== undefined) conditions.push(sql`cluster_id = ${filter.clusterId}`);
  const rows = await sql<{ key: string; total: string; measured: string; estimated: string }>`
    select ${KEYS[groupBy]} as key,
           sum(gpu_seconds) as total,
           sum(case when source = 'prometheus' then gpu_seconds else 0 end) as measured,
           sum(case when source = 'allocation' then gpu_seconds else 0 end) as estimated
      from ledger_entries
     where ${sql.join(conditions, sql` and `)}
     group by 1
     order by 1`.execute(db);
  return rows.rows.map((r) => ({ key: r.key, gpuSeconds: Number(r.total), measuredGpuSeconds: Number(r.measured), estimatedGpuSeconds: Number(r.estimated) }));
}

/** An allocation's budget as the ledger has charged it. */
export interface AllocationUsage {
  allocationId: string;
  institutionId: string;
  projectId?: string;
  kind: 'hard' | 'soft';
  periodStart: number;
  periodEnd: number;
  awardedGpuHours: number;
  usedGpuHours: number;
  remainingGpuHours: number;
  /** GPU-hours per day over the recent burn window (inside the period, up to now). */
  burnRateGpuHoursPerDay: number;
  /** When the award runs out at that rate (absent when it already has, or nothing burns). */
  projectedExhaustionAt?: number;
  exhausted: boolean;
}

/** Budget state of allocations (by id, or all of an institution, or all active at `now`). */
export async function allocationUsage(db: Db, select: { ids?: readonly string[]; institutionId?: string }, now: number, burnWindowMs: number): Promise<AllocationUsage[]> {
  const where = [sql`true`];
  if (select.ids !== undefined) where.push(sql`a.id = any(${[...select.ids]}::text[])`);
  if (select.institutionId !== undefined) where.push(sql`a.institution_id = ${select.institutionId}`);
  if (select.ids === undefined && select.institutionId === undefined) where.push(sql`a.period_start <= ${date(now)} and a.period_end > ${date(now)}`);
  const rows = await sql<{
    id: string; institution_id: string; project_id: string | null; kind: 'hard' | 'soft'; period_start: Date; period_end: Date; gpu_hours: number;
    used: string | null; recent: string | null; recent_from: Date; recent_to: Date;
  }>`
    select a.id, a.institution_id, a.project_id, a.kind, a.period_start, a.period_end, a.gpu_hours, u.used, u.recent, b.recent_from, b.recent_to
      from allocations a
      cross join lateral (select greatest(a.period_start, ${date(now - burnWindowMs)}::timestamptz) as recent_from,
                                 least(a.period_end, ${date(now)}::timestamptz) as recent_to) b
      cross join lateral (
        select sum(l.gpu_seconds) as used,
               sum(l.gpu_seconds) filter (where l.window_start >= b.recent_from and l.window_start < b.recent_to) as recent
          from ledger_entries l
         where l.institution_id = a.institution_id and (a.project_id is null or l.project_id = a.project_id)
           and l.window_start >= a.period_start and l.window_start < a.period_end) u
     where ${sql.join(where, sql` and `)}
     order by a.period_start, a.id`.execute(db);
  return rows.rows.map((r) => {
    const used = Number(r.used ?? 0) / 3600;
    const spanDays = Math.max(0, ms(r.recent_to) - ms(r.recent_from)) / 86_400_000;
    const rate = spanDays > 0 ? Number(r.recent ?? 0) / 3600 / spanDays : 0;
    const remaining = r.gpu_hours - used;
    const out: AllocationUsage = {
      allocationId: r.id, institutionId: r.institution_id, kind: r.kind, periodStart: ms(r.period_start), periodEnd: ms(r.period_end),
      awardedGpuHours: r.gpu_hours, usedGpuHours: used, remainingGpuHours: remaining, burnRateGpuHoursPerDay: rate, exhausted: remaining <= 0,
    };
    if (r.project_id !== null) out.projectId = r.project_id;
    if (remaining > 0 && rate > 0) out.projectedExhaustionAt = Math.round(now + (remaining / rate) * 86_400_000);
    return out;
  });
}
