/**
 * The one way to open ncg's database: a real PostgreSQL through `pg` when a postgres:// URL is given,
 * otherwise embedded PGlite persisted under `<dataDir>/pgdata` (or in memory for tests).
 * Both dialects are configured to return the same JS types (see type-parsers.ts) and run in UTC.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { DomainError } from '../domain/errors.js';
import { PgliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';
import { OID, parseInt8, parseInt8Array } from './type-parsers.js';

/** Where the database lives. `url` wins; else `inMemory`; else `dataDir`. */
export interface OpenDatabaseOptions {
  /** A postgres:// or postgresql:// URL (DATABASE_URL). */
  url?: string;
  /** ncg's data directory; PGlite keeps its files in `<dataDir>/pgdata`. */
  dataDir?: string;
  /** A throwaway PGlite in memory (tests). */
  inMemory?: boolean;
  /** Size of the pg pool (PostgreSQL only); default 10. */
  poolSize?: number;
  /** Called with errors of idle pooled connections (PostgreSQL only), which would otherwise crash the process. */
  onPoolError?: (err: Error) => void;
}

/** An open database. */
export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** A description safe to log: the URL without password, or the PGlite location. */
  location: string;
  /** Close every connection (PGlite: flush and close the embedded instance). */
  close(): Promise<void>;
}

/** Does the database answer? Rejects with the driver's error when it does not. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Open the database described by `opts`, checking that it answers before returning. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const opened = opts.url ? openPostgres(opts.url, opts) : await openPglite(opts);
  try {
    await pingDatabase(opened.db);
  } catch (err) {
    await opened.close().catch(() => undefined);
    throw new DomainError('unavailable', `cannot reach the database at ${opened.location}: ${(err as Error).message}`, {
      location: opened.location,
    });
  }
  return opened;
}

function openPostgres(url: string, opts: OpenDatabaseOptions): OpenedDatabase {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw DomainError.invalid('DATABASE_URL is not a URL; expected postgres://user@host:port/database', [{ path: 'DATABASE_URL', message: 'not a URL' }]);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw DomainError.invalid(`DATABASE_URL must start with postgres:// or postgresql://, got ${parsed.protocol}//`, [
      { path: 'DATABASE_URL', message: 'expected a postgres:// URL' },
    ]);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: 'ncg',
    // UTC sessions so any timestamptz rendered as text by the server reads the same on every replica.
    options: '-c TimeZone=UTC',
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
  });
  pool.on('error', (err) => opts.onPoolError?.(err));
  // pg-pool listens for errors on idle clients only. A checked-out client whose connection dies between two
  // queries (a transaction waiting while PostgreSQL restarts or fails over) emits 'error' with nobody
  // listening, which is an uncaught exception that ends the process. The work on that client fails on its
  // own (its next query is refused) and pg-pool drops the dead client on release, so hearing it is enough.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', location: redactUrl(parsed), close: () => db.destroy() };
}

/** pg's parser lookup with our int8 parsers in front of the defaults. */
function pgTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
  if (oid === OID.INT8) return parseInt8;
  if (oid === OID.INT8_ARRAY) return parseInt8Array;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

async function openPglite(opts: OpenDatabaseOptions): Promise<OpenedDatabase> {
  let dataDir: string | undefined;
  if (!opts.inMemory) {
    if (!opts.dataDir) throw DomainError.invalid('openDatabase needs a url, a dataDir or inMemory: true', [{ path: 'dataDir', message: 'missing' }]);
    dataDir = join(opts.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  // int8[] needs no entry: PGlite parses array elements with the element type's parser.
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: { [OID.INT8]: parseInt8 } });
  await pglite.exec(`set time zone 'UTC'`);
  const db = new Kysely<Database>({ dialect: new PgliteDialect({ pglite }) });
  return { db, kind: 'pglite', location: dataDir ? `PGlite at ${dataDir}` : 'PGlite in memory', close: () => db.destroy() };
}

/** The URL without its password, for logs and error messages. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
