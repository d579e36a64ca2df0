/** Institutions: the universities and research bodies the grid serves, listed with keyset pagination. */
import type { Institution } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import { checkLimit, decodeCursor, toPage, type Page, type PageRequest } from '../cursor.js';
import type { Db } from '../rows.js';
import type { Row } from '../schema.js';

/** Map an institutions row to the domain type. */
export function institutionFromRow(r: Row<'institutions'>): Institution {
  return { id: r.id, name: r.name, shortName: r.short_name, province: r.province, city: r.city, shares: r.shares };
}

/**
 * One page of institutions in id order. `limit` is 1–500 (default 100); `cursor` is the `nextCursor` of
 * the previous page. Keyset paging (id > last id) stays correct while rows are added between pages.
 */
export async function listInstitutions(db: Db, page: PageRequest = {}): Promise<Page<Institution>> {
  const limit = checkLimit(page.limit);
  let query = db.selectFrom('institutions').selectAll().orderBy('id').limit(limit + 1);
  if (page.cursor !== undefined) query = query.where('id', '>', decodeCursor(page.cursor));
  const rows = await query.execute();
  return toPage(rows, limit, (r) => r.id, institutionFromRow);
}

/** One institution, or DomainError `not_found`. */
export async function getInstitution(db: Db, id: string): Promise<Institution> {
  const row = await db.selectFrom('institutions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('institution', id);
  return institutionFromRow(row);
}

/** How many institutions are registered. */
export async function countInstitutions(db: Db): Promise<number> {
  const row = await db.selectFrom('institutions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return row.n;
}
