/**
 * Real-PostgreSQL databases for tests, one per test file, cloned from a migrated template (the
 * graphile-worker / pg-boss approach): migrating once and cloning with `CREATE DATABASE … TEMPLATE` is
 * far faster than migrating per file, and files never see each other's rows.
 * The template's name carries a hash of the migration sources, so editing or adding a migration builds a
 * fresh template instead of reusing a stale one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { knownMigrationNames } from '../../src/store/migrations/index.js';
import { migrateToLatest, openDatabase, type OpenedDatabase } from '../../src/store/index.js';

/** The server tests use: NCG_TEST_DATABASE_URL, else the local trust-auth PostgreSQL. */
export const TEST_DATABASE_URL = process.env.NCG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Any constant distinct from kysely's migration lock: serialises template builds across vitest workers. */
const TEMPLATE_LOCK_KEY = 740_211_903;

/** Hash of the migration list and each migration's source text (12 hex digits). */
export function migrationFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of [...knownMigrationNames, 'run-statements']) {
    hash.update(name);
    hash.update(readFileSync(fileURLToPath(new URL(`../../src/store/migrations/${name}.ts`, import.meta.url)), 'utf8'));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.href;
}

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Make sure the migrated template exists and return its name. Built under an advisory lock so parallel
 * workers wait for one builder; built under a temporary name and renamed at the end, so a crash mid-build
 * never leaves a half-migrated template behind.
 */
export async function ensureTemplate(): Promise<string> {
  const template = `ncg_tpl_${migrationFingerprint()}`;
  return withAdmin(async (admin) => {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (rowCount) return template;
      const building = `${template}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const opened = await openDatabase({ url: databaseUrl(building), poolSize: 1 });
      try {
        await migrateToLatest(opened.db);
      } finally {
        await opened.close();
      }
      await whenIdle(admin, `alter database ${building} rename to ${template}`);
      return template;
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

/**
 * Run DDL that needs a database nobody is connected to, retrying while a just-closed session is still
 * leaving the server (SQLSTATE 55006, "being accessed by other users").
 */
async function whenIdle(admin: pg.Client, ddl: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(ddl);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
}

/** A fresh database `ncg_t_<random>`: cloned from the migrated template, or empty (from template0). */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const template = opts.empty ? 'template0' : await ensureTemplate();
  const name = `ncg_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => whenIdle(admin, `create database ${name} template ${template}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withAdmin(async (admin) => void (await admin.query(`drop database if exists ${name} with (force)`))),
  };
}

/** Open a test database as ncg would; closing it also drops it. */
export async function openPostgresTestDb(opts: { empty?: boolean } = {}): Promise<OpenedDatabase> {
  const created = await createTestDatabase(opts);
  const opened = await openDatabase({ url: created.url, poolSize: 4 });
  return {
    ...opened,
    close: async () => {
      await opened.close();
      await created.drop();
    },
  };
}
