/**
 * Live numbers for the dashboard: GPUs in use now, the queue by GPU type, job states of an institution,
 * and recent usage by hour straight from the ledger (recent windows are few; the daily rollups serve
 * anything longer).
 */
import { sql } from 'kysely';
import { date, type Db } from '../rows.js';

/** GPUs held by dispatching or running jobs, per cluster and GPU type. */
export async function gpusInUse(db: Db): Promise<{ clusterId: string; gpuType: string; gpus: number; jobs: number }[]> {
  const r = await sql<{ clusterId: string; gpuType: string; gpus: number; jobs: number }>`
    select j.cluster_id as "clusterId", coalesce(p.gpu_type, j.gpu_types[1]) as "gpuType",
           sum(j.nodes * j.gpus_per_node)::int as gpus, count(*)::int as jobs
      from jobs j left join pools p on p.id = j.pool_id
     where j.state in ('dispatching', 'running')
     group by 1, 2 order by 1, 2`.execute(db);
  return r.rows;
}

/** Pending jobs (queued or preempted) by requested GPU type (`a|b` when a job accepts several), optionally one institution's. */
export async function queueDepth(db: Db, institutionId?: string): Promise<{ gpuType: string; jobs: number; gpus: number }[]> {
  const where = institutionId === undefined ? sql`true` : sql`institution_id = ${institutionId}`;
  const r = await sql<{ gpuType: string; jobs: number; gpus: number }>`
    select array_to_string(gpu_types, '|') as "gpuType", count(*)::int as jobs, sum(nodes * gpus_per_node)::int as gpus
      from jobs where state in ('queued', 'preempted') and ${where}
     group by 1 order by 1`.execute(db);
  return r.rows;
}

/** Jobs per state (all time), optionally one institution's. */
export async function jobStateCounts(db: Db, institutionId?: string): Promise<Record<string, number>> {
  const where = institutionId === undefined ? sql`true` : sql`institution_id = ${institutionId}`;
  const r = await sql<{ state: string; n: number }>`select state, count(*)::int as n from jobs where ${where} group by 1 order by 1`.execute(db);
  return Object.fromEntries(r.rows.map((x) => [x.state, x.n]));
}

/** GPU-seconds per time bucket of `bucketMs` over [from, to) (by window start), by project or GPU type, optionally one institution's. */
export async function usageSeries(db: Db, from: number, to: number, bucketMs: number, by: 'project' | 'gpuType' | 'none', institutionId?: string): Promise<{ t: number; key: string; gpuSeconds: number }[]> {
  const key = by === 'project' ? sql`project_id` : by === 'gpuType' ? sql`gpu_type` : sql`''`;
  const where = institutionId === undefined ? sql`true` : sql`institution_id = ${institutionId}`;
  const r = await sql<{ t: number; key: string; gpuSeconds: number }>`
    select (floor(extract(epoch from window_start) * 1000 / ${bucketMs}) * ${bucketMs})::float8 as t, ${key} as key, sum(gpu_seconds)::float8 as "gpuSeconds"
      from ledger_entries
     where window_start >= ${date(from)} and window_start < ${date(to)} and ${where}
     group by 1, 2 order by 1, 2`.execute(db);
  return r.rows.map((x) => ({ ...x, t: Number(x.t) }));
}
