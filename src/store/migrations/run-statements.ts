/**
 * Migrations are plain SQL, one statement per array element: PGlite's extended protocol takes a single
 * statement per query, and CHECKs, collations and triggers read better as SQL than as builder chains.
 * Migration files never import runtime constants from the rest of the code: a migration is frozen in time.
 */
import { sql, type Kysely } from 'kysely';

/** Run each statement in order on `db` (the migrator's transaction). */
export async function runStatements(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Identifier columns: text in the "C" collation, so ordering and keyset pagination are byte order and
 * identical on every PostgreSQL and on PGlite, whatever their default locale.
 */
export const ID = `text collate "C"`;
