/**
 * The decayed-usage accumulator's persistent form: one row per account-tree node (`national`, an
 * institution, a project, or a `project/user` leaf) holding decayed GPU-seconds as of an instant.
 * The control loop updates rows in O(1) each (decay to now, add the new usage) inside the same transaction
 * that appends the ledger rows the usage came from, so the two never disagree.
 */
import { sql } from 'kysely';
import { chunks, date, json, ms, type Db } from '../rows.js';

/** One account's decayed usage. */
export interface UsageAccount {
  accountId: string;
  /** Decayed GPU-seconds as of `asOf`. */
  value: number;
  asOf: number;
}

/** Every account, or only those with the given ids. */
export async function listUsageAccounts(db: Db, ids?: readonly string[]): Promise<UsageAccount[]> {
  const out: UsageAccount[] = [];
  const parts = ids === undefined ? [undefined] : chunks(ids, 5_000);
  for (const part of parts) {
    if (part !== undefined && part.length === 0) continue;
    let q = db.selectFrom('usage_accounts').selectAll();
    if (part !== undefined) q = q.where('account_id', 'in', part);
    const rows = await q.execute();
    out.push(...rows.map((r) => ({ accountId: r.account_id, value: r.value, asOf: ms(r.as_of) })));
  }
  return out;
}

/** Lock the given accounts' rows for this transaction (rows that do not exist yet are not locked). */
export async function lockUsageAccounts(db: Db, ids: readonly string[]): Promise<UsageAccount[]> {
  const out: UsageAccount[] = [];
  for (const part of chunks(ids, 5_000)) {
    if (part.length === 0) continue;
    const rows = await db.selectFrom('usage_accounts').selectAll().where('account_id', 'in', part).forUpdate().execute();
    out.push(...rows.map((r) => ({ accountId: r.account_id, value: r.value, asOf: ms(r.as_of) })));
  }
  return out;
}

/** Insert or overwrite accounts (the caller has already decayed and added). */
export async function upsertUsageAccounts(db: Db, accounts: readonly UsageAccount[]): Promise<void> {
  for (const part of chunks(accounts, 5_000)) {
    if (part.length === 0) continue;
    const payload = json(part.map((a) => ({ id: a.accountId, value: Math.max(0, a.value), as_of: date(a.asOf).toISOString() })));
    await sql`
      insert into usage_accounts (account_id, value, as_of)
      select v.id, v.value, v.as_of
        from jsonb_to_recordset(${payload}::jsonb) as v(id text, value double precision, as_of timestamptz)
      on conflict (account_id) do update set value = excluded.value, as_of = excluded.as_of`.execute(db);
  }
}
