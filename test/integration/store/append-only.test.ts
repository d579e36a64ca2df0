/** The ledger, audit log and KPI snapshots are append-only: triggers refuse UPDATE, DELETE and TRUNCATE. */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { isDomainError } from '../../../src/domain/errors.js';
import { withDbErrors, writeGridSeed } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';
import { jobRow, ledgerRow } from '../../helpers/job-rows.js';

describeEachStore('append-only tables', (getDb) => {
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture());
    await getDb().insertInto('jobs').values([jobRow('l1'), jobRow('l2')]).execute();
  });

  it('stores GPU-seconds as bigint and reads them back as exact numbers', async () => {
    const big = 2 ** 40 + 7; // beyond int4, well within 2^53
    const row = await getDb().insertInto('ledger_entries').values(ledgerRow('l1', { gpu_seconds: big })).returningAll().executeTakeFirstOrThrow();
    expect(row.gpu_seconds).toBe(big);
    expect(row.window_end.getTime() - row.window_start.getTime()).toBe(60_000);
    const { rows } = await sql<{ t: string }>`select pg_typeof(gpu_seconds)::text as t from ledger_entries limit 1`.execute(getDb());
    expect(rows[0]!.t).toBe('bigint');
  });

  it('re-metering the same (job, cluster, window, source) conflicts; another source for the window is allowed', async () => {
    await getDb().insertInto('ledger_entries').values(ledgerRow('l2')).execute();
    const again = await withDbErrors(() => getDb().insertInto('ledger_entries').values(ledgerRow('l2', { gpu_seconds: 1 })).execute()).catch((e: unknown) => e);
    expect(isDomainError(again) && again.code).toBe('conflict');
    await getDb().insertInto('ledger_entries').values(ledgerRow('l2', { source: 'allocation', efficiency: null })).execute();
    const count = await getDb().selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', 'j-l2').executeTakeFirstOrThrow();
    expect(count.n).toBe(2);
  });

  it('a ledger row with negative GPU-seconds or an empty window is refused', async () => {
    await expect(getDb().insertInto('ledger_entries').values(ledgerRow('l1', { gpu_seconds: -1, window_start: new Date(0), window_end: new Date(1) })).execute()).rejects.toThrow(
      /ledger_entries_gpu_seconds_check/,
    );
    const start = new Date(Date.UTC(2026, 0, 6));
    await expect(getDb().insertInto('ledger_entries').values(ledgerRow('l1', { window_start: start, window_end: start })).execute()).rejects.toThrow(/ledger_entries_check/);
  });

  it('refuses UPDATE and DELETE on the ledger with a clear message, mapped to a conflict', async () => {
    await expect(getDb().updateTable('ledger_entries').set({ gpu_seconds: 0 }).execute()).rejects.toThrow(
      'ledger_entries is append-only: UPDATE refused; append a correcting row instead',
    );
    await expect(getDb().deleteFrom('ledger_entries').execute()).rejects.toThrow('ledger_entries is append-only: DELETE refused; append a correcting row instead');
    await expect(sql`truncate ledger_entries`.execute(getDb())).rejects.toThrow('ledger_entries is append-only: TRUNCATE refused');
    const mapped = await withDbErrors(() => getDb().deleteFrom('ledger_entries').execute()).catch((e: unknown) => e);
    expect(isDomainError(mapped) && mapped.code).toBe('conflict');
    const count = await getDb().selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(3);
  });

  it('refuses UPDATE and DELETE on the audit log and KPI snapshots', async () => {
    await getDb().insertInto('audit_log').values({ actor_user_id: 'admin', action: 'allocation.create', target_kind: 'allocation', target_id: 'a1', data: JSON.stringify({ gpuHours: 5 }) }).execute();
    const audit = await getDb().selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(audit.data).toEqual({ gpuHours: 5 });
    expect(audit.at).toBeInstanceOf(Date);
    await expect(getDb().updateTable('audit_log').set({ action: 'x' }).execute()).rejects.toThrow('audit_log is append-only: UPDATE refused');
    await expect(getDb().deleteFrom('audit_log').execute()).rejects.toThrow('audit_log is append-only: DELETE refused');

    await getDb()
      .insertInto('kpi_snapshots')
      .values({ period: '2026-Q1', period_start: new Date(Date.UTC(2026, 0, 1)), period_end: new Date(Date.UTC(2026, 3, 1)), kind: 'national', content: JSON.stringify({ gpuHours: 1 }), sha256: 'a'.repeat(64) })
      .execute();
    await expect(getDb().updateTable('kpi_snapshots').set({ period: 'x' }).execute()).rejects.toThrow('kpi_snapshots is append-only: UPDATE refused');
    await expect(getDb().deleteFrom('kpi_snapshots').execute()).rejects.toThrow('kpi_snapshots is append-only: DELETE refused');
  });
});
