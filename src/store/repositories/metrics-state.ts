/**
 * What ncg's own gauges show about the database, read on scrape: queue depth, GPUs held by placed jobs,
 * pool sizes, metering progress, budget use, and job state transitions (counted incrementally from the
 * event log, so each scrape reads only the events since the last one).
 */
import { sql } from 'kysely';
import type { JobState } from '../../domain/types.js';
import { date, ms, type Db } from '../rows.js';
import { spentByAllocation } from './usage-ledger.js';

/** Gauge values read from the database in one go. */
export interface GridMetricsState {
  /** Queued or preempted jobs per institution and GPU type (`any` when a job accepts several). */
  pendingJobs: { institutionId: string; gpuType: string; count: number }[];
  /** GPUs of dispatching and running jobs per placement. */
  allocatedGpus: { clusterId: string; poolId: string; gpuType: string; gpus: number }[];
  /** Registered pools and their GPUs. */
  pools: { clusterId: string; poolId: string; gpuType: string; gpus: number }[];
  /** End of the latest measured window per cluster (epoch ms). */
  lastMeasured: Map<string, number>;
  /** Pending windows per cluster. */
  pendingWindows: Map<string, number>;
  /** Discrepancies recorded per cluster and kind (monotonic: the table is append-only). */
  discrepancies: { clusterId: string; kind: string; count: number }[];
  /** Budget used per allocation active now (spent / awarded). */
  budgets: { allocationId: string; institutionId: string; usedRatio: number }[];
}

/** Read every gauge's state at `now`. */
export async function readGridMetricsState(db: Db, now: number): Promise<GridMetricsState> {
  const [pending, allocated, pools, measured, windows, discrepancies, allocations, spent] = await Promise.all([
    sql<{ institution_id: string; gpu_type: string; n: string }>`
      select institution_id, case when cardinality(gpu_types) = 1 then gpu_types[1] else 'any' end as gpu_type, count(*) as n
        from jobs where state in ('queued', 'preempted') group by 1, 2`.execute(db),
    sql<{ cluster_id: string; pool_id: string; gpu_type: string; gpus: string }>`
      select j.cluster_id, j.pool_id, coalesce(p.gpu_type, j.gpu_types[1]) as gpu_type, sum(j.nodes * j.gpus_per_node) as gpus
        from jobs j left join pools p on p.id = j.pool_id
       where j.state in ('dispatching', 'running') and j.cluster_id is not null and j.pool_id is not null
       group by 1, 2, 3`.execute(db),
    db.selectFrom('pools').select(['cluster_id', 'id', 'gpu_type', 'nodes', 'gpus_per_node']).execute(),
    db.selectFrom('metering_windows').select(['cluster_id', (eb) => eb.fn.max('window_end').as('last')]).where('status', '=', 'measured').groupBy('cluster_id').execute(),
    db.selectFrom('metering_windows').select(['cluster_id', (eb) => eb.fn.countAll<string>().as('n')]).where('status', '=', 'pending').groupBy('cluster_id').execute(),
    db.selectFrom('metering_discrepancies').select(['cluster_id', 'kind', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['cluster_id', 'kind']).execute(),
    db.selectFrom('allocations').select(['id', 'institution_id', 'gpu_hours']).where('period_start', '<=', date(now)).where('period_end', '>', date(now)).execute(),
    spentByAllocation(db, now),
  ]);
  return {
    pendingJobs: pending.rows.map((r) => ({ institutionId: r.institution_id, gpuType: r.gpu_type, count: Number(r.n) })),
    allocatedGpus: allocated.rows.map((r) => ({ clusterId: r.cluster_id, poolId: r.pool_id, gpuType: r.gpu_type, gpus: Number(r.gpus) })),
    pools: pools.map((p) => ({ clusterId: p.cluster_id, poolId: p.id, gpuType: p.gpu_type, gpus: p.nodes * p.gpus_per_node })),
    lastMeasured: new Map(measured.map((r) => [r.cluster_id, ms(r.last as Date)])),
    pendingWindows: new Map(windows.map((r) => [r.cluster_id, Number(r.n)])),
    discrepancies: discrepancies.map((r) => ({ clusterId: r.cluster_id, kind: r.kind, count: Number(r.n) })),
    budgets: allocations.map((a) => ({
      allocationId: a.id,
      institutionId: a.institution_id,
      usedRatio: a.gpu_hours > 0 ? (spent.get(a.id) ?? 0) / (a.gpu_hours * 3600) : 0,
    })),
  };
}

/** Job state transitions recorded after event `afterId`, per (from, to), and the last event id seen. */
export async function transitionsSince(db: Db, afterId: number): Promise<{ lastId: number; counts: { from: JobState | null; to: JobState; count: number }[] }> {
  const rows = await sql<{ from_state: JobState | null; to_state: JobState; n: string; last: string }>`
    select from_state, to_state, count(*) as n, max(id) as last
      from job_events where id > ${afterId} group by from_state, to_state`.execute(db);
  const lastId = rows.rows.reduce((m, r) => Math.max(m, Number(r.last)), afterId);
  return { lastId, counts: rows.rows.map((r) => ({ from: r.from_state, to: r.to_state, count: Number(r.n) })) };
}
