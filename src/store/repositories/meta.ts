/** The `meta` key-value table: facts about the database itself, such as when it was seeded. */
import { sql } from 'kysely';
import type { Db } from '../rows.js';

/** Key under which writeGridSeed records when the grid was seeded (ISO 8601). */
export const SEEDED_AT = 'seeded_at';

/** The value stored under `key`, or undefined. */
export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Store `value` under `key`, replacing any earlier value. */
export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql<Date>`now()` }))
    .execute();
}

/**
 * True when nothing was ever seeded or registered: no `seeded_at` and no sites or institutions.
 * The server seeds the national grid only when this holds, so a restart never seeds twice.
 */
export async function isEmpty(db: Db): Promise<boolean> {
  if ((await getMeta(db, SEEDED_AT)) !== undefined) return false;
  const site = await db.selectFrom('sites').select('id').limit(1).executeTakeFirst();
  const institution = await db.selectFrom('institutions').select('id').limit(1).executeTakeFirst();
  return site === undefined && institution === undefined;
}
