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

/** Longest ledger window the series looks back for (usage windows are minutes; demo history rows a day at most). */
const MAX_WINDOW_MS = 2 * 86_400_000;

/**
 * GPU-seconds per time bucket of `bucketMs` over [from, to), by project or GPU type, optionally one
 * institution's. A ledger row counts in every bucket its window overlaps, in proportion to the overlap: a
 * row covering an hour adds a sixth of its GPU-seconds to each 10-minute bucket, so a bucket never shows
 * more use than its GPUs could give (lumping a long row into the bucket of its start once drew a 226 %
 * spike on the dashboard). Buckets are aligned to multiples of `bucketMs`; empty buckets are left out.
 */
export async function usageSeries(db: Db, from: number, to: number, bucketMs: number, by: 'project' | 'gpuType' | 'none', institutionId?: string): Promise<{ t: number; key: string; gpuSeconds: number }[]> {
  const key = by === 'project' ? sql`l.project_id` : by === 'gpuType' ? sql`l.gpu_type` : sql`''`;
  const where = institutionId === undefined ? sql`true` : sql`l.institution_id = ${institutionId}`;
  const first = Math.floor(from / bucketMs) * bucketMs; // whole milliseconds, as generate_series(bigint) wants
  const r = await sql<{ t: number; key: string; gpuSeconds: number }>`
    with rows as (
      select ${key} as key, l.gpu_seconds::float8 as gs,
             extract(epoch from l.window_start) * 1000 as ws, extract(epoch from l.window_end) * 1000 as we
        from ledger_entries l
       where l.window_start >= ${date(from - MAX_WINDOW_MS)} and l.window_start < ${date(to)} and l.window_end > ${date(first)} and ${where}
    ), buckets as (
      select generate_series(${first}::bigint, ${Math.ceil(to) - 1}::bigint, ${bucketMs}::bigint)::float8 as t
    )
    select b.t::float8 as t, r.key, sum(r.gs * (least(r.we, b.t + ${bucketMs}::float8) - greatest(r.ws, b.t)) / (r.we - r.ws))::float8 as "gpuSeconds"
      from buckets b join rows r on r.ws < b.t + ${bucketMs}::float8 and r.we > b.t
     group by 1, 2 order by 1, 2`.execute(db);
  return r.rows.map((x) => ({ ...x, t: Number(x.t), gpuSeconds: Number(x.gpuSeconds) }));
}
