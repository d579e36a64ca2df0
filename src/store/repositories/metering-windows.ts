/**
 * The meter's book of windows per cluster: `measured` (Prometheus had complete data; final), `pending`
 * (Prometheus did not answer or had gaps; estimates stand and the window is retried) and `estimated`
 * (pending too long; estimates are final unless a forced re-run measures it later).
 * A window's status only moves forward: nothing ever turns a measured window back into pending.
 */
import { sql } from 'kysely';
import { chunks, date, json, ms, type Db } from '../rows.js';

/** Status of a metered window. */
export type WindowStatus = 'pending' | 'measured' | 'estimated';

/** A window [start, end) of one cluster. */
export interface ClusterWindow {
  clusterId: string;
  start: number;
  end: number;
}

/** A window that still waits for measured data. */
export interface PendingWindow extends ClusterWindow {
  attempts: number;
  firstTriedAt: number;
  /** When it was last tried (the database's clock). */
  lastTriedAt: number;
  lastError?: string;
}

/** The end of the latest window of each cluster, of any status (where the next scheduled run starts). */
export async function windowWatermarks(db: Db, status?: WindowStatus): Promise<Map<string, number>> {
  let q = db.selectFrom('metering_windows').select(['cluster_id', (eb) => eb.fn.max('window_end').as('last')]).groupBy('cluster_id');
  if (status) q = q.where('status', '=', status);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.cluster_id, ms(r.last as Date)]));
}

/** Status of each window of a cluster starting in [from, to), keyed by window start. */
export async function windowStatuses(db: Db, clusterId: string, from: number, to: number): Promise<Map<number, WindowStatus>> {
  const rows = await db
    .selectFrom('metering_windows')
    .select(['window_start', 'status'])
    .where('cluster_id', '=', clusterId)
    .where('window_start', '>=', date(from))
    .where('window_start', '<', date(to))
    .execute();
  return new Map(rows.map((r) => [ms(r.window_start), r.status]));
}

/**
 * Record the outcome of metering `windows`: insert new ones, count an attempt on known ones. `measured`
 * wins over everything; `pending` never replaces `measured` or `estimated`.
 */
export async function recordWindows(db: Db, windows: readonly ClusterWindow[], status: WindowStatus, error?: string): Promise<void> {
  for (const part of chunks(windows, 5_000)) {
    if (part.length === 0) continue;
    const payload = json(part.map((w) => ({ c: w.clusterId, ws: date(w.start).toISOString(), we: date(w.end).toISOString() })));
    await sql`
      insert into metering_windows as m (cluster_id, window_start, window_end, status, attempts, last_error)
      select v.c, v.ws, v.we, ${status}, 1, ${error ?? null}
        from jsonb_to_recordset(${payload}::jsonb) as v(c text, ws timestamptz, we timestamptz)
      on conflict (cluster_id, window_start) do update
        set status = case when m.status = 'measured' or excluded.status = 'measured' then 'measured'
                          when m.status = 'estimated' then 'estimated'
                          else excluded.status end,
            attempts = m.attempts + 1,
            last_error = case when excluded.status = 'measured' then m.last_error else excluded.last_error end,
            updated_at = now()`.execute(db);
  }
}

/** Pending windows, oldest first (of one cluster, or all). */
export async function pendingWindows(db: Db, clusterId?: string, limit = 10_000): Promise<PendingWindow[]> {
  let q = db.selectFrom('metering_windows').selectAll().where('status', '=', 'pending').orderBy('cluster_id').orderBy('window_start').limit(limit);
  if (clusterId !== undefined) q = q.where('cluster_id', '=', clusterId);
  const rows = await q.execute();
  return rows.map((r) => {
    const w: PendingWindow = {
      clusterId: r.cluster_id, start: ms(r.window_start), end: ms(r.window_end), attempts: r.attempts, firstTriedAt: ms(r.first_tried_at), lastTriedAt: ms(r.updated_at),
    };
    if (r.last_error !== null) w.lastError = r.last_error;
    return w;
  });
}

/** Give up on windows pending since before `before`: their estimates become final. Returns how many. */
export async function expirePendingWindows(db: Db, before: number): Promise<number> {
  const result = await db
    .updateTable('metering_windows')
    .set({ status: 'estimated', updated_at: sql<Date>`now()` })
    .where('status', '=', 'pending')
    .where('first_tried_at', '<', date(before))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Pending windows per cluster (a metric). */
export async function pendingWindowCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('metering_windows')
    .select(['cluster_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', '=', 'pending')
    .groupBy('cluster_id')
    .execute();
  return new Map(rows.map((r) => [r.cluster_id, Number(r.n)]));
}
