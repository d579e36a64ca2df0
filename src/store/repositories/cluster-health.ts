/**
 * Cluster health samples (migration 0005): what the reports sampler saw of each cluster every few
 * minutes — its state in the store, whether its adapter answered, nodes and GPUs. The cluster page's
 * health history, and the down time behind GPU-hours available.
 */
import { sql } from 'kysely';
import { chunks, date, json, ms, type Db } from '../rows.js';

/** One sample. */
export interface HealthSample {
  clusterId: string;
  at: number;
  state: 'active' | 'draining' | 'offline';
  reachable: boolean;
  nodesTotal: number;
  nodesHealthy: number;
  gpusTotal: number;
  gpusFree: number;
  /** The time this sample stands for (the sampling interval). */
  intervalSeconds: number;
}

/** Append samples; a second sample of a cluster at the same instant is ignored. */
export async function recordHealthSamples(db: Db, samples: readonly HealthSample[]): Promise<number> {
  let n = 0;
  for (const part of chunks(samples, 1_000)) {
    if (part.length === 0) continue;
    const payload = json(part.map((s) => ({ c: s.clusterId, at: date(s.at).toISOString(), st: s.state, r: s.reachable, nt: s.nodesTotal, nh: s.nodesHealthy, gt: s.gpusTotal, gf: s.gpusFree, i: s.intervalSeconds })));
    const r = await sql`
      insert into cluster_health_samples (cluster_id, at, state, reachable, nodes_total, nodes_healthy, gpus_total, gpus_free, interval_seconds)
      select v.c, v.at, v.st, v.r, v.nt, v.nh, v.gt, v.gf, v.i
        from jsonb_to_recordset(${payload}::jsonb) as v(c text, at timestamptz, st text, r boolean, nt int, nh int, gt int, gf int, i int)
      on conflict do nothing`.execute(db);
    n += Number(r.numAffectedRows ?? 0);
  }
  return n;
}

/**
 * Delete samples before `before` that saw their cluster up (active or draining, and reachable); samples of
 * a cluster down stay, since KPIs read the down time of any period from them. Returns how many went.
 */
export async function pruneHealthSamples(db: Db, before: number): Promise<number> {
  const r = await sql`
    delete from cluster_health_samples
     where at < ${date(before)} and state <> 'offline' and reachable`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Samples of one cluster in [from, to), oldest first (at most `limit`, the most recent ones). */
export async function healthHistory(db: Db, clusterId: string, from: number, to: number, limit = 2_000): Promise<HealthSample[]> {
  const r = await sql<{ cluster_id: string; at: Date; state: HealthSample['state']; reachable: boolean; nodes_total: number; nodes_healthy: number; gpus_total: number; gpus_free: number; interval_seconds: number }>`
    select * from (
      select * from cluster_health_samples
       where cluster_id = ${clusterId} and at >= ${date(from)} and at < ${date(to)}
       order by at desc limit ${limit}) s
    order by at`.execute(db);
  return r.rows.map((s) => ({
    clusterId: s.cluster_id, at: ms(s.at), state: s.state, reachable: s.reachable, nodesTotal: s.nodes_total, nodesHealthy: s.nodes_healthy,
    gpusTotal: s.gpus_total, gpusFree: s.gpus_free, intervalSeconds: s.interval_seconds,
  }));
}
