/**
 * The ledger as the meter writes it (docs/metering.md):
 *   - measured rows (`prometheus`, `charge`), one per (job, cluster, window), in big batches (one array
 *     per column through unnest) with `on conflict do nothing`: re-metering a window inserts nothing;
 *   - reversals: every `allocation` estimate's share of a window the meter has measured is taken back by a
 *     negative `allocation`/`reversal` row over exactly that overlap, so the plain sum of all rows counts
 *     each GPU-second once (measured where measured, estimated elsewhere).
 * An estimate's share of [lo, hi) is f(hi) − f(lo) with f(x) = round(g·(x − start)/(end − start)): f(start)
 * = 0 and f(end) = g, so the shares of any partition of the estimate's window add up to g exactly.
 */
import { sql } from 'kysely';
import { chunks, date, ms, type Db } from '../rows.js';

/** One measured ledger row. */
export interface MeasuredRow {
  jobId: string;
  clusterId: string;
  institutionId: string;
  projectId: string;
  userId: string;
  gpuType: string;
  windowStart: number;
  windowEnd: number;
  gpuSeconds: number;
  /** Mean GPU utilisation 0–1, when known. */
  efficiency?: number;
}

/** A row the meter appended, as the usage accumulator and the metrics need it. */
export interface AppendedRow {
  jobId: string;
  clusterId: string;
  institutionId: string;
  projectId: string;
  userId: string;
  gpuType: string;
  windowEnd: number;
  /** Negative for reversals. */
  gpuSeconds: number;
}

/** Rows per INSERT: one array parameter per column, so the 65535-parameter limit does not apply. */
const BATCH = 5_000;

interface ReturnedRow {
  job_id: string; cluster_id: string; institution_id: string; project_id: string; user_id: string; gpu_type: string;
  window_end: Date; gpu_seconds: number | string;
}

function appended(r: ReturnedRow): AppendedRow {
  return {
    jobId: r.job_id, clusterId: r.cluster_id, institutionId: r.institution_id, projectId: r.project_id, userId: r.user_id,
    gpuType: r.gpu_type, windowEnd: ms(r.window_end), gpuSeconds: Number(r.gpu_seconds),
  };
}

/**
 * Append measured rows; rows whose (job, cluster, window) was measured before are skipped. Returns those
 * inserted. Columns travel as arrays through unnest (PostgreSQL parses array literals far faster than
 * jsonb: bench/README.md, "Ledger"), times as epoch milliseconds turned into timestamptz exactly.
 */
export async function insertMeasuredRows(db: Db, rows: readonly MeasuredRow[]): Promise<AppendedRow[]> {
  const out: AppendedRow[] = [];
  for (const part of chunks(rows, BATCH)) {
    if (part.length === 0) continue;
    const col = <T>(f: (r: MeasuredRow) => T) => part.map(f);
    const result = await sql<{ job_id: string; cluster_id: string; ws: number | string }>`
      insert into ledger_entries (job_id, cluster_id, institution_id, project_id, user_id, gpu_type, window_start, window_end, gpu_seconds, source, efficiency)
      select j, c, i, p, u, g, timestamptz 'epoch' + ws * interval '1 millisecond', timestamptz 'epoch' + we * interval '1 millisecond', s, 'prometheus', e
        from unnest(${col((r) => r.jobId)}::text[], ${col((r) => r.clusterId)}::text[], ${col((r) => r.institutionId)}::text[], ${col((r) => r.projectId)}::text[],
                    ${col((r) => r.userId)}::text[], ${col((r) => r.gpuType)}::text[], ${col((r) => r.windowStart)}::bigint[], ${col((r) => r.windowEnd)}::bigint[],
                    ${col((r) => r.gpuSeconds)}::bigint[], ${col((r) => r.efficiency ?? null)}::float8[]) as v(j, c, i, p, u, g, ws, we, s, e)
      on conflict (job_id, cluster_id, window_start, window_end, source, kind) do nothing
      returning job_id, cluster_id, (extract(epoch from window_start) * 1000)::bigint as ws`.execute(db);
    // Only the key comes back (less to send); the rest of an inserted row is what was sent.
    const inserted = new Set(result.rows.map((r) => `${r.job_id}|${r.cluster_id}|${Number(r.ws)}`));
    for (const r of part) {
      if (!inserted.has(`${r.jobId}|${r.clusterId}|${r.windowStart}`)) continue;
      out.push({ jobId: r.jobId, clusterId: r.clusterId, institutionId: r.institutionId, projectId: r.projectId, userId: r.userId, gpuType: r.gpuType, windowEnd: r.windowEnd, gpuSeconds: r.gpuSeconds });
    }
  }
  return out;
}

/**
 * Which estimates a sweep looks at: those overlapping the measured windows of one cluster's span, those of
 * some jobs (all their measured windows), or those written since an instant.
 */
export type ReversalScope = { clusterId: string; from: number; to: number } | { jobIds: readonly string[] } | { writtenSince: number };

/**
 * Append the reversals of every estimate's share of the measured windows in `scope` that is not reversed
 * yet (the unique key makes a repeated sweep a no-op). Returns the reversal rows inserted.
 */
export async function reverseSupersededEstimates(db: Db, scope: ReversalScope): Promise<AppendedRow[]> {
  if ('jobIds' in scope && scope.jobIds.length === 0) return [];
  const where =
    'writtenSince' in scope
      ? sql`l.created_at >= ${date(scope.writtenSince)}`
      : 'jobIds' in scope
        ? sql`l.job_id = any(${[...scope.jobIds]}::text[])`
        : sql`l.cluster_id = ${scope.clusterId} and l.window_end > ${date(scope.from)} and l.window_start < ${date(scope.to)}
              and w.window_start >= ${date(scope.from)} and w.window_end <= ${date(scope.to)}`;
  const result = await sql<ReturnedRow>`
    with cuts as (
      select l.job_id, l.cluster_id, l.institution_id, l.project_id, l.user_id, l.gpu_type, l.gpu_seconds::numeric as g,
             extract(epoch from l.window_end - l.window_start) as span,
             l.window_start as s,
             greatest(l.window_start, w.window_start) as lo,
             least(l.window_end, w.window_end) as hi
        from ledger_entries l
        join metering_windows w
          on w.cluster_id = l.cluster_id and w.status = 'measured'
         and w.window_start < l.window_end and w.window_end > l.window_start
       where l.source = 'allocation' and l.kind = 'charge' and l.gpu_seconds > 0 and ${where}
    ), shares as (
      select *, round(g * extract(epoch from hi - s) / span) - round(g * extract(epoch from lo - s) / span) as share
        from cuts
    )
    insert into ledger_entries (job_id, cluster_id, institution_id, project_id, user_id, gpu_type, window_start, window_end, gpu_seconds, source, kind)
    select job_id, cluster_id, institution_id, project_id, user_id, gpu_type, lo, hi, -share, 'allocation', 'reversal'
      from shares where share > 0
    on conflict (job_id, cluster_id, window_start, window_end, source, kind) do nothing
    returning job_id, cluster_id, institution_id, project_id, user_id, gpu_type, window_end, gpu_seconds`.execute(db);
  return result.rows.map(appended);
}

/**
 * The transaction lock every writer of usage accounts takes first — the control loop's usage-from-allocation
 * recorder and the meter — so the two never lock account rows in opposite orders.
 */
export async function lockUsageWriters(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('ncg.usage-from-allocation'))`.execute(db);
}

/** A job's ledger in totals: measured, estimated and reversed GPU-seconds, and their sum. */
export interface JobLedgerTotals {
  measured: number;
  estimated: number;
  /** Negative: estimates taken back. */
  reversed: number;
  net: number;
}

/** Ledger totals of each job (jobs without rows are absent). */
export async function ledgerTotalsOfJobs(db: Db, jobIds: readonly string[]): Promise<Map<string, JobLedgerTotals>> {
  const out = new Map<string, JobLedgerTotals>();
  for (const part of chunks(jobIds, 5_000)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['job_id', 'source', 'kind', (eb) => eb.fn.sum<string>('gpu_seconds').as('total')])
      .where('job_id', 'in', part)
      .groupBy(['job_id', 'source', 'kind'])
      .execute();
    for (const r of rows) {
      const t = out.get(r.job_id) ?? { measured: 0, estimated: 0, reversed: 0, net: 0 };
      const v = Number(r.total);
      if (r.kind === 'reversal') t.reversed += v;
      else if (r.source === 'prometheus') t.measured += v;
      else t.estimated += v;
      t.net += v;
      out.set(r.job_id, t);
    }
  }
  return out;
}
