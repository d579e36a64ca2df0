/**
 * Fair share follows the ledger: when the meter appends measured rows and reversals of estimates, the
 * decayed-usage accounts the control loop keeps (src/control/usage-recorder.ts) move by the difference,
 * each row decayed from its window's end to now. Runs inside the meter's ledger transaction, after the
 * control loop's usage lock, so account rows are always locked in one order.
 */
import { usageAccountsOf } from '../control/account-tree.js';
import { decayFactor, decayTo, zeroDecayed } from '../scheduler/decay.js';
import { lockUsageWriters, type AppendedRow } from '../store/repositories/metering-ledger.js';
import { lockUsageAccounts, upsertUsageAccounts } from '../store/repositories/usage-accounts.js';
import type { Db } from '../store/rows.js';

/** Decayed GPU-seconds to add per account for `rows` (negative for reversals), as of `now`. */
export function decayedDeltas(rows: readonly AppendedRow[], now: number, halfLifeSeconds: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const delta = r.gpuSeconds * decayFactor((now - r.windowEnd) / 1000, halfLifeSeconds);
    for (const account of usageAccountsOf(r)) out.set(account, (out.get(account) ?? 0) + delta);
  }
  return out;
}

/** Apply the rows' decayed deltas to the usage accounts (in the caller's transaction). */
export async function applyUsageDeltas(tx: Db, rows: readonly AppendedRow[], now: number, halfLifeSeconds: number): Promise<void> {
  const deltas = decayedDeltas(rows, now, halfLifeSeconds);
  if (deltas.size === 0) return;
  await lockUsageWriters(tx);
  const current = new Map((await lockUsageAccounts(tx, [...deltas.keys()])).map((a) => [a.accountId, a]));
  await upsertUsageAccounts(
    tx,
    [...deltas].map(([accountId, delta]) => {
      const base = decayTo(current.get(accountId) ?? zeroDecayed(now), now, halfLifeSeconds);
      return { accountId, value: base.value + delta, asOf: base.asOf };
    }),
  );
}
