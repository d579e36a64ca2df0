/**
 * A kysely Dialect for PGlite (@electric-sql/pglite 0.5), the embedded PostgreSQL ncg uses by default.
 * PGlite is one PostgreSQL backend in-process: a single session. The driver therefore hands out one
 * connection at a time (a FIFO mutex), so a kysely transaction owns the session from BEGIN to COMMIT and
 * queries from elsewhere wait instead of landing inside someone else's transaction.
 * Caution that follows from this: inside `db.transaction().execute(trx => …)` use `trx`, never the outer
 * `db` — on PGlite the outer handle waits for the transaction to finish, which waits for it: a deadlock.
 * (The community kysely-pglite-dialect does not support pglite 0.5, hence our own.)
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** How to obtain the PGlite instance: given, or created lazily when kysely first needs it. */
export interface PgliteDialectConfig {
  pglite: PGlite | (() => Promise<PGlite>);
}

/** Kysely dialect over one PGlite instance, using kysely's own PostgreSQL adapter, compiler and introspector. */
export class PgliteDialect implements Dialect {
  constructor(private readonly config: PgliteDialectConfig) {}
  createAdapter(): PostgresAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.config);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely's Dialect signature takes Kysely<any>
  createIntrospector(db: Kysely<any>): PostgresIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** A FIFO lock: PGlite has one session, so only one kysely connection may be out at a time. */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();
  /** Wait for the session; resolves with the function that gives it back. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

class PgliteDriver implements Driver {
  private pglite: PGlite | undefined;
  private readonly lock = new SessionLock();
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(private readonly config: PgliteDialectConfig) {}

  async init(): Promise<void> {
    const p = this.config.pglite;
    this.pglite = typeof p === 'function' ? await p() : p;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    if (!this.pglite) {
      release();
      throw new Error('PGlite driver has been destroyed');
    }
    const connection = new PgliteConnection(this.pglite);
    this.releases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      text = ['start transaction', settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode]
        .filter(Boolean)
        .join(' ');
    }
    await connection.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const result = await connection.executeQuery<{ command?: string }>(CompiledQuery.raw('commit'));
    // Like PostgreSQL over the wire, COMMIT of an aborted transaction completes with a ROLLBACK tag.
    if (result.rows[0]?.command === 'ROLLBACK') throw new AbortedTransactionError();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.releases.get(connection)?.();
    this.releases.delete(connection);
  }

  async destroy(): Promise<void> {
    const release = await this.lock.acquire(); // let in-flight work finish before closing the session
    const pglite = this.pglite;
    this.pglite = undefined;
    try {
      if (pglite && !pglite.closed) await pglite.close();
    } finally {
      release();
    }
  }
}

const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters], { rowMode: 'object' });
    const command = result.command?.toUpperCase();
    if (command === 'COMMIT' || command === 'ROLLBACK') return { rows: [{ command } as R] };
    // rowCount is per statement; affectedRows is cumulative over a multi-statement string (we send one).
    const affected = result.rowCount ?? result.affectedRows ?? 0;
    return command && WRITE_COMMANDS.has(command)
      ? { numAffectedRows: BigInt(affected), rows: result.rows }
      : { rows: result.rows };
  }

  /** PGlite has no portal-based cursors through this API: run the query, then hand rows out in chunks. */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

/** Quote an identifier (savepoint names come from application code, but stay safe). */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
