/**
 * GPU use the meter saw but could not charge as usual: `unknown-job` (a job label or pod that names no ncg
 * job on that cluster: not charged, nobody to charge) and `ended-job` (a job ncg holds as ended: charged,
 * and flagged). Unique per (cluster, window, kind, ref), so re-metering a window records nothing new.
 */
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.js';
import { checkLimit, decodeCursor, toPage, type Page, type PageRequest } from '../cursor.js';
import { chunks, date, json, ms, type Db } from '../rows.js';

/** Kinds of discrepancy. */
export type DiscrepancyKind = 'unknown-job' | 'ended-job';

/** One recorded discrepancy. */
export interface Discrepancy {
  clusterId: string;
  windowStart: number;
  windowEnd: number;
  kind: DiscrepancyKind;
  /** What the metrics called the job: the job label's value, or `namespace/pod`. */
  ref: string;
  /** The ncg job, for `ended-job`. */
  jobId?: string;
  gpuSeconds: number;
}

/** A discrepancy as listed, with when it was found. */
export interface DiscrepancyRecord extends Discrepancy {
  id: number;
  detectedAt: number;
}

/** Record discrepancies; ones already recorded are skipped. Returns those inserted. */
export async function recordDiscrepancies(db: Db, items: readonly Discrepancy[]): Promise<Discrepancy[]> {
  const out: Discrepancy[] = [];
  for (const part of chunks(items, 2_000)) {
    if (part.length === 0) continue;
    const payload = json(
      part.map((d) => ({ c: d.clusterId, ws: date(d.windowStart).toISOString(), we: date(d.windowEnd).toISOString(), k: d.kind, r: d.ref, j: d.jobId ?? null, s: d.gpuSeconds })),
    );
    const result = await sql<{ cluster_id: string; window_start: Date; kind: DiscrepancyKind; ref: string }>`
      insert into metering_discrepancies (cluster_id, window_start, window_end, kind, ref, job_id, gpu_seconds)
      select v.c, v.ws, v.we, v.k, v.r, v.j, v.s
        from jsonb_to_recordset(${payload}::jsonb) as v(c text, ws timestamptz, we timestamptz, k text, r text, j text, s bigint)
      on conflict (cluster_id, window_start, kind, ref) do nothing
      returning cluster_id, window_start, kind, ref`.execute(db);
    const key = (c: string, ws: number, k: string, r: string) => `${c}|${ws}|${k}|${r}`;
    const inserted = new Set(result.rows.map((r) => key(r.cluster_id, ms(r.window_start), r.kind, r.ref)));
    out.push(...part.filter((d) => inserted.has(key(d.clusterId, d.windowStart, d.kind, d.ref))));
  }
  return out;
}

/** Filters for listing discrepancies (all optional). */
export interface DiscrepancyFilter {
  clusterId?: string;
  kind?: DiscrepancyKind;
  /** Windows starting at or after. */
  from?: number;
  /** Windows starting before. */
  to?: number;
  /** Only clusters at these sites (a CoE operator's scope). */
  siteIds?: readonly string[];
}

/** Discrepancies, most recently found first, with keyset pagination on id. */
export async function listDiscrepancies(db: Db, filter: DiscrepancyFilter, page: PageRequest): Promise<Page<DiscrepancyRecord>> {
  const limit = checkLimit(page.limit);
  let q = db.selectFrom('metering_discrepancies').selectAll();
  if (filter.clusterId !== undefined) q = q.where('cluster_id', '=', filter.clusterId);
  if (filter.siteIds !== undefined) {
    const sites = [...filter.siteIds];
    q = sites.length === 0 ? q.where(sql<boolean>`false`) : q.where('cluster_id', 'in', (eb) => eb.selectFrom('clusters').select('clusters.id').where('clusters.site_id', 'in', sites));
  }
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.from !== undefined) q = q.where('window_start', '>=', date(filter.from));
  if (filter.to !== undefined) q = q.where('window_start', '<', date(filter.to));
  if (page.cursor !== undefined) {
    const after = Number(decodeCursor(page.cursor));
    if (!Number.isSafeInteger(after)) throw DomainError.invalid('cursor is not one this server issued', [{ path: 'cursor', message: 'malformed cursor' }]);
    q = q.where('id', '<', after);
  }
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  return toPage(rows, limit, (r) => String(r.id), (r): DiscrepancyRecord => {
    const d: DiscrepancyRecord = {
      id: r.id, clusterId: r.cluster_id, windowStart: ms(r.window_start), windowEnd: ms(r.window_end), kind: r.kind, ref: r.ref,
      gpuSeconds: r.gpu_seconds, detectedAt: ms(r.detected_at),
    };
    if (r.job_id !== null) d.jobId = r.job_id;
    return d;
  });
}

/** Discrepancies per (cluster, kind) (a metric). */
export async function discrepancyCounts(db: Db): Promise<{ clusterId: string; kind: DiscrepancyKind; count: number }[]> {
  const rows = await db
    .selectFrom('metering_discrepancies')
    .select(['cluster_id', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['cluster_id', 'kind'])
    .execute();
  return rows.map((r) => ({ clusterId: r.cluster_id, kind: r.kind, count: Number(r.n) }));
}
