/** Sites: the CoEs, auxiliary centres, data centres and AI hubs that host clusters. */
import type { Site } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Db } from '../rows.js';
import type { Row } from '../schema.js';

/** Map a sites row to the domain type. */
export function siteFromRow(r: Row<'sites'>): Site {
  return { id: r.id, name: r.name, city: r.city, province: r.province, tier: r.tier };
}

/** All sites, by id. */
export async function listSites(db: Db): Promise<Site[]> {
  const rows = await db.selectFrom('sites').selectAll().orderBy('id').execute();
  return rows.map(siteFromRow);
}

/** One site, or DomainError `not_found`. */
export async function getSite(db: Db, id: string): Promise<Site> {
  const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('site', id);
  return siteFromRow(row);
}
