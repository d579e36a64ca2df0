/** Migrations apply from empty, are idempotent, refuse unknown migrations, and serialise under the lock. */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { isDomainError } from '../../../src/domain/errors.js';
import { knownMigrationNames, migrateToLatest, migrationStatus, openDatabase, pendingMigrations } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { createTestDatabase } from '../../helpers/postgres-template.js';

const EXPECTED_TABLES = [
  'allocation_events', 'allocation_requests', 'allocations', 'api_tokens', 'audit_log', 'cluster_health_samples', 'clusters', 'institutions', 'job_events', 'jobs',
  'kpi_job_end_daily', 'kpi_job_end_monthly', 'kpi_ledger_daily', 'kpi_ledger_monthly', 'kpi_rollup_marks', 'kpi_snapshots', 'kpi_wait_daily', 'ledger_entries', 'meta', 'metering_discrepancies', 'metering_windows', 'operator_sites', 'pools', 'project_members',
  'projects', 'sites', 'usage_accounts', 'user_roles', 'users',
];

describeEachStore('migrations', (getDb, target) => {
  it('apply every known migration, in order, to an empty database, creating every table', async () => {
    const empty = await target.openEmpty();
    try {
      expect(await pendingMigrations(empty.db)).toEqual([...knownMigrationNames]);
      expect(await migrateToLatest(empty.db)).toEqual([...knownMigrationNames]);
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = 'public' and table_name not like 'kysely%' order by table_name`.execute(empty.db);
      expect(rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);
    } finally {
      await empty.close();
    }
  });

  it('are idempotent: a second run applies nothing and the status is clean', async () => {
    expect(await migrateToLatest(getDb())).toEqual([]);
    expect(await migrationStatus(getDb())).toEqual({ applied: [...knownMigrationNames], pending: [], unknown: [] });
  });

  it('refuse a database that has a migration this build does not know', async () => {
    const db = getDb();
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', ${new Date().toISOString()})`.execute(db);
    try {
      expect((await migrationStatus(db)).unknown).toEqual(['9999_from_the_future']);
      const err = await migrateToLatest(db).catch((e: unknown) => e);
      expect(isDomainError(err)).toBe(true);
      expect((err as Error).message).toBe(
        'database has migrations this build does not know: 9999_from_the_future — upgrade ncg (it was migrated by a newer version)',
      );
    } finally {
      await sql`delete from kysely_migration where name = '9999_from_the_future'`.execute(db);
    }
    expect(await migrationStatus(db)).toEqual({ applied: [...knownMigrationNames], pending: [], unknown: [] });
  });

  if (target.kind === 'postgres') {
    it('two replicas migrating one database at once: one applies everything, the other waits and applies nothing', async () => {
      const created = await createTestDatabase({ empty: true });
      const replicas = await Promise.all([openDatabase({ url: created.url }), openDatabase({ url: created.url })]);
      try {
        const applied = await Promise.all(replicas.map((r) => migrateToLatest(r.db)));
        expect(applied.map((a) => a.length).sort()).toEqual([0, knownMigrationNames.length]);
        expect(await pendingMigrations(replicas[0]!.db)).toEqual([]);
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
        await created.drop();
      }
    });
  }
});
