/**
 * The ledger as the control loop uses it: append GPU-second rows idempotently (the unique key
 * (job, cluster, window_start, window_end, source) makes a repeated window a no-op), find where each job's
 * chain of windows ends, and sum what each active allocation has spent in its period.
 */
import { sql } from 'kysely';
import type { LedgerEntry, LedgerSource } from '../../domain/types.js';
import { chunks, date, ms, type Db } from '../rows.js';

/**
 * Ledger sources budgets are charged from: all of them. Metering (src/metering) supersedes an `allocation`
 * estimate by appending the measured `prometheus` row and a `reversal` of the estimate, so the plain sum
 * over every row counts each GPU-second once (docs/metering.md).
 */
export const BUDGET_SOURCE: LedgerSource | 'all' = 'all';

/** Append rows; rows whose key already exists are skipped. Returns the rows actually inserted. */
export async function appendLedgerEntries(db: Db, entries: readonly LedgerEntry[]): Promise<LedgerEntry[]> {
  const inserted: LedgerEntry[] = [];
  for (const part of chunks(entries, 500)) {
    if (part.length === 0) continue;
    const rows = await db
      .insertInto('ledger_entries')
      .values(
        part.map((e) => ({
          job_id: e.jobId,
          cluster_id: e.clusterId,
          institution_id: e.institutionId,
          project_id: e.projectId,
          user_id: e.userId,
          gpu_type: e.gpuType,
          window_start: date(e.windowStart),
          window_end: date(e.windowEnd),
          gpu_seconds: e.gpuSeconds,
          source: e.source,
          efficiency: e.efficiency ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['job_id', 'cluster_id', 'window_start', 'window_end', 'source', 'kind']).doNothing())
      .returning(['job_id', 'window_start', 'window_end', 'cluster_id'])
      .execute();
    const byKey = new Map(part.map((e) => [`${e.jobId}|${e.clusterId}|${e.windowStart}|${e.windowEnd}`, e]));
    for (const r of rows) {
      const e = byKey.get(`${r.job_id}|${r.cluster_id}|${ms(r.window_start)}|${ms(r.window_end)}`);
      if (e) inserted.push(e);
    }
  }
  return inserted;
}

/** The latest `window_end` of each job's rows of `source` (jobs without rows are absent). */
export async function lastWindowEnds(db: Db, jobIds: readonly string[], source: LedgerSource): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks(jobIds, 5_000)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['job_id', (eb) => eb.fn.max('window_end').as('last')])
      .where('job_id', 'in', part)
      .where('source', '=', source)
      .groupBy('job_id')
      .execute();
    for (const r of rows) out.set(r.job_id, ms(r.last as Date));
  }
  return out;
}

/**
 * GPU-seconds charged to each allocation active at `at`: rows of `source` of its institution (and of its
 * project, for a project sub-allocation) whose window starts inside the allocation's period.
 */
export async function spentByAllocation(db: Db, at: number, source: LedgerSource | 'all' = BUDGET_SOURCE): Promise<Map<string, number>> {
  const when = date(at);
  const rows = await sql<{ id: string; spent: number | string | null }>`
    select a.id, coalesce(sum(l.gpu_seconds), 0)::float8 as spent
      from allocations a
      left join ledger_entries l
        on l.institution_id = a.institution_id
       and (a.project_id is null or l.project_id = a.project_id)
       and (${source} = 'all' or l.source = ${source})
       and l.window_start >= a.period_start and l.window_start < a.period_end
     where a.period_start <= ${when} and a.period_end > ${when}
     group by a.id`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, Number(r.spent ?? 0)]));
}

/** Every row of one job, oldest window first (tests and the job API's usage view). */
export async function ledgerEntriesOfJob(db: Db, jobId: string): Promise<LedgerEntry[]> {
  const rows = await db.selectFrom('ledger_entries').selectAll().where('job_id', '=', jobId).orderBy('window_start').orderBy('id').execute();
  return rows.map((r) => {
    const e: LedgerEntry = {
      jobId: r.job_id, clusterId: r.cluster_id, institutionId: r.institution_id, projectId: r.project_id, userId: r.user_id,
      gpuType: r.gpu_type, windowStart: ms(r.window_start), windowEnd: ms(r.window_end), gpuSeconds: r.gpu_seconds, source: r.source,
    };
    if (r.efficiency !== null) e.efficiency = r.efficiency;
    return e;
  });
}
