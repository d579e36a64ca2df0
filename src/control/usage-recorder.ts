/**
 * Usage from allocation (issue 4): GPUs × time of every run becomes `allocation`-source ledger rows, and
 * the same GPU-seconds feed the decayed-usage accumulator, so fair share and budgets move.
 *
 * Each run's rows form a chain of windows: a window starts where the job's last row ended (or at its
 * start) and ends at the claimed instant — periodically while it runs (once the open window reaches the
 * usage window length) and once when it stops. GPU-seconds of a window are round(g·end) − round(g·start)
 * in seconds, which telescopes: the rows of a run add up to its exact GPU-seconds, never drifting by a
 * rounding per row.
 *
 * Exactly once: rows go in with `on conflict do nothing` on the ledger's unique key, and only rows that
 * were actually inserted are added to usage, in the same transaction. A transaction-level advisory lock
 * keeps two writers (an old leader finishing a cycle, a new one starting) from both extending a chain.
 */
import type { LedgerEntry } from '../domain/types.js';
import { addInterval, decayTo, zeroDecayed } from '../scheduler/decay.js';
import { appendLedgerEntries, lastWindowEnds } from '../store/repositories/usage-ledger.js';
import { lockUsageWriters } from '../store/repositories/metering-ledger.js';
import { lockUsageAccounts, upsertUsageAccounts } from '../store/repositories/usage-accounts.js';
import type { Db } from '../store/rows.js';
import { usageAccountsOf } from './account-tree.js';

/** A request to charge a run up to `end`. */
export interface UsageClaim {
  jobId: string;
  institutionId: string;
  projectId: string;
  userId: string;
  clusterId: string;
  gpuType: string;
  gpus: number;
  /** When the run started (the chain's first window starts here). */
  startedAt: number;
  /** Close the open window at this instant. */
  end: number;
  /** Skip unless the open window is at least this long (periodic rows); 0 when the run has stopped. */
  minWindowMs: number;
}

/** What a recording wrote. */
export interface UsageRecorded {
  rows: number;
  gpuSeconds: number;
}

/** Write the claimed windows and add what was new to decayed usage (decayed to `now`). */
export async function recordUsage(db: Db, claims: readonly UsageClaim[], now: number, halfLifeSeconds: number): Promise<UsageRecorded> {
  const merged = mergeClaims(claims);
  if (merged.length === 0) return { rows: 0, gpuSeconds: 0 };
  return db.transaction().execute(async (tx) => {
    await lockUsageWriters(tx);
    const last = await lastWindowEnds(tx, merged.map((c) => c.jobId), 'allocation');
    const entries: LedgerEntry[] = [];
    const gpusOf = new Map<string, number>();
    for (const c of merged) {
      const start = Math.max(c.startedAt, last.get(c.jobId) ?? Number.NEGATIVE_INFINITY);
      if (!(c.end > start) || c.end - start < c.minWindowMs) continue;
      gpusOf.set(c.jobId, c.gpus);
      entries.push({
        jobId: c.jobId, clusterId: c.clusterId, institutionId: c.institutionId, projectId: c.projectId, userId: c.userId,
        gpuType: c.gpuType, windowStart: start, windowEnd: c.end, source: 'allocation',
        gpuSeconds: Math.round((c.gpus * c.end) / 1000) - Math.round((c.gpus * start) / 1000),
      });
    }
    const inserted = await appendLedgerEntries(tx, entries);
    const added = new Map<string, number>();
    for (const e of inserted) {
      const gpus = gpusOf.get(e.jobId) ?? 0;
      const decayed = decayTo(addInterval(zeroDecayed(e.windowStart), e.windowStart, e.windowEnd, gpus, halfLifeSeconds), now, halfLifeSeconds).value;
      for (const account of usageAccountsOf(e)) added.set(account, (added.get(account) ?? 0) + decayed);
    }
    if (added.size > 0) {
      const current = new Map((await lockUsageAccounts(tx, [...added.keys()])).map((a) => [a.accountId, a]));
      await upsertUsageAccounts(
        tx,
        [...added].map(([accountId, more]) => {
          const base = decayTo(current.get(accountId) ?? zeroDecayed(now), now, halfLifeSeconds);
          return { accountId, value: base.value + more, asOf: base.asOf };
        }),
      );
    }
    return { rows: inserted.length, gpuSeconds: inserted.reduce((s, e) => s + e.gpuSeconds, 0) };
  });
}

/** One claim per job: the latest end wins, with the smallest minimum window of those claims. */
function mergeClaims(claims: readonly UsageClaim[]): UsageClaim[] {
  const byJob = new Map<string, UsageClaim>();
  for (const c of claims) {
    const prev = byJob.get(c.jobId);
    if (!prev) byJob.set(c.jobId, c);
    else byJob.set(c.jobId, { ...(c.end >= prev.end ? c : prev), minWindowMs: Math.min(c.minWindowMs, prev.minWindowMs) });
  }
  return [...byJob.values()];
}
