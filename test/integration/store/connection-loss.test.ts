/**
 * A pooled connection that dies while checked out — PostgreSQL restarted or failed over while a
 * transaction waits between two statements — must fail that transaction, not the process. pg-pool listens
 * for errors on idle clients only; pg emits 'error' on a checked-out client whose connection ends, and an
 * 'error' event nobody hears is an uncaught exception (it stopped `ncg serve` in the PostgreSQL-restart
 * HA test). Here the session is terminated with pg_terminate_backend, as a fast shutdown does to each.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../src/store/index.js';
import { postgresGate } from '../../helpers/db.js';
import { createTestDatabase } from '../../helpers/postgres-template.js';

const gate = await postgresGate();

describe.runIf(gate.available)('losing a checked-out PostgreSQL connection', () => {
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  let opened: OpenedDatabase;
  let admin: OpenedDatabase;

  beforeAll(async () => {
    created = await createTestDatabase({ empty: true });
    opened = await openDatabase({ url: created.url, poolSize: 2 });
    admin = await openDatabase({ url: created.url, poolSize: 1 });
  });

  afterAll(async () => {
    await opened?.close();
    await admin?.close();
    await created?.drop();
  });

  it('fails the transaction, keeps the process, and the pool serves new connections after', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const outcome = await opened.db
        .transaction()
        .execute(async (tx) => {
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]!.pid;
          // Between two statements (no query active on the client), the server ends the session.
          await sql`select pg_terminate_backend(${pid})`.execute(admin.db);
          await new Promise((r) => setTimeout(r, 200));
          await sql`select 1`.execute(tx);
          return 'committed';
        })
        .catch((e: unknown) => `failed: ${(e as Error).message}`);
      expect(outcome).toMatch(/^failed: /);
      expect(uncaught).toEqual([]);
      // The dead client was dropped on release; the next query gets a fresh connection.
      expect((await sql<{ one: number }>`select 1 as one`.execute(opened.db)).rows[0]!.one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
