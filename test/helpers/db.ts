/**
 * Databases for store tests. PGlite: one in-memory database per test file (it takes seconds to start).
 * PostgreSQL: one clone of the migrated template per test file (postgres-template.ts), skipped with a loud
 * banner when the server is absent — or failing the file under NCG_REQUIRE_SERVICES=1.
 * `describeEachStore` runs one suite body against both.
 */
import { describe, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database, type OpenedDatabase } from '../../src/store/index.js';
import { openPostgresTestDb, TEST_DATABASE_URL } from './postgres-template.js';
import { requireService, type ServiceGate } from './require-service.js';

/** Which database a suite runs on. */
export type StoreKind = 'pglite' | 'postgres';

/** What a suite body receives besides the database: its kind, and a way to get an empty database. */
export interface StoreTarget {
  kind: StoreKind;
  /** A brand-new database of this kind with no migrations applied; the caller closes it (PG: drops it). */
  openEmpty(): Promise<OpenedDatabase>;
}

/** An in-memory PGlite database; migrated unless `empty`. */
export async function openPgliteTestDb(opts: { empty?: boolean } = {}): Promise<OpenedDatabase> {
  const opened = await openDatabase({ inMemory: true });
  if (!opts.empty) await migrateToLatest(opened.db);
  return opened;
}

let gate: Promise<ServiceGate> | undefined;

/** Probe the test PostgreSQL once per file: available, or skipped loudly (or thrown under NCG_REQUIRE_SERVICES=1). */
export function postgresGate(): Promise<ServiceGate> {
  gate ??= requireService(
    'postgres',
    async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
      await client.connect();
      await client.end();
    },
    { hint: `set NCG_TEST_DATABASE_URL or start PostgreSQL at ${new URL(TEST_DATABASE_URL).host}` },
  );
  return gate;
}

const openers: Record<StoreKind, (opts?: { empty?: boolean }) => Promise<OpenedDatabase>> = {
  pglite: openPgliteTestDb,
  postgres: openPostgresTestDb,
};

/** Open a migrated database of `kind` for the enclosing describe block, closed (and dropped) after it. */
export function useTestDb(kind: StoreKind): () => Kysely<Database> {
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    opened = await openers[kind]();
  });
  afterAll(async () => {
    await opened?.close();
  });
  return () => {
    if (!opened) throw new Error(`the ${kind} test database is not open (use getDb() inside tests or hooks)`);
    return opened.db;
  };
}

/**
 * Run `suite` twice: on PGlite and on the real PostgreSQL. Each gets its own migrated database for the
 * whole block, so call this once per file and share rows deliberately (use distinct ids per test).
 */
export function describeEachStore(name: string, suite: (getDb: () => Kysely<Database>, target: StoreTarget) => void): void {
  describe(name, async () => {
    for (const kind of ['pglite', 'postgres'] as const) {
      const available = kind === 'pglite' || (await postgresGate()).available;
      describe.runIf(available)(kind, () => {
        suite(useTestDb(kind), { kind, openEmpty: () => openers[kind]({ empty: true }) });
      });
    }
  });
}
