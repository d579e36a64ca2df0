/**
 * Applying migrations, and reporting their state for /readyz and `ncg migrate`.
 *
 * Locking: kysely 0.28's Migrator with PostgresAdapter takes a *session-level* `pg_advisory_lock` on one
 * dedicated connection, then runs every pending migration in one transaction on that connection, and
 * unlocks after (see PostgresAdapter.acquireMigrationLock). So two replicas starting together never migrate
 * at once: the second waits, then finds nothing pending. (On PGlite there is one session anyway.)
 *
 * Refusal: a database migrated by a newer build has rows in kysely_migration this build does not know;
 * running old code on a newer schema is unsafe, so we stop with a message that says what to do.
 */
import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { knownMigrationNames, migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** Where the database stands against this build. */
export interface MigrationStatus {
  /** Known migrations already applied, in order. */
  applied: string[];
  /** Known migrations not yet applied, in order. */
  pending: string[];
  /** Applied migrations this build does not know (a newer build migrated the database). */
  unknown: string[];
}

/** Read which migrations are applied, pending and unknown; works on an empty database too. */
export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus> {
  const executed = await executedMigrations(db);
  const known = new Set(knownMigrationNames);
  const done = new Set(executed);
  return {
    applied: knownMigrationNames.filter((n) => done.has(n)),
    pending: knownMigrationNames.filter((n) => !done.has(n)),
    unknown: executed.filter((n) => !known.has(n)),
  };
}

/** Names of the known migrations not yet applied (empty when the database is current). */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  return (await migrationStatus(db)).pending;
}

/** Throw a DomainError `conflict` if the database has migrations this build does not know. */
export async function assertKnownMigrations(db: Kysely<Database>): Promise<void> {
  const { unknown } = await migrationStatus(db);
  if (unknown.length > 0) throw unknownMigrationsError(unknown);
}

/**
 * Apply every pending migration under the migration lock; returns the names applied (empty if none).
 * Refuses, before touching anything, a database that has migrations this build does not know.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  await assertKnownMigrations(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    // A newer replica may have migrated between our check and the lock: kysely finds it under the lock.
    const missing = /previously executed migration (\S+) is missing/.exec(String((error as Error).message));
    if (missing?.[1]) throw unknownMigrationsError([missing[1]]);
    throw new Error(`migration ${failedName(results)} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function unknownMigrationsError(unknown: string[]): DomainError {
  return new DomainError(
    'conflict',
    `database has migrations this build does not know: ${unknown.join(', ')} — upgrade ncg (it was migrated by a newer version)`,
    { unknownMigrations: unknown, knownMigrations: [...knownMigrationNames] },
  );
}

function failedName(results: MigrationResult[] | undefined): string {
  return results?.find((r) => r.status === 'Error')?.migrationName ?? '(unknown)';
}

async function executedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!rows[0]?.present) return [];
  const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return result.rows.map((r) => r.name);
}
