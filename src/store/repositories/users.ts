/** Users with their roles and (for CoE operators) the sites they operate. */
import { sql } from 'kysely';
import type { Role, User } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Db } from '../rows.js';

/** Roles and operated sites of users, as arrays aggregated in the same query. */
export function userSelect(db: Db) {
  return db
    .selectFrom('users')
    .selectAll('users')
    .select([
      sql<Role[]>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = users.id), '{}')`.as('roles'),
      sql<string[]>`coalesce((select array_agg(s.site_id order by s.site_id) from operator_sites s where s.user_id = users.id), '{}')`.as(
        'operator_site_ids',
      ),
    ]);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userSelect>['executeTakeFirstOrThrow']>>;

function userFromRow(r: UserRow): User {
  const user: User = { id: r.id, institutionId: r.institution_id, name: r.name, email: r.email, roles: r.roles };
  if (r.operator_site_ids.length > 0) user.operatorSiteIds = r.operator_site_ids;
  return user;
}

/** One user with roles, or DomainError `not_found`. */
export async function getUser(db: Db, id: string): Promise<User> {
  const row = await userSelect(db).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('user', id);
  return userFromRow(row);
}

/** The user with this email (case-insensitive), or undefined. */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await userSelect(db).where(sql`lower(users.email)`, '=', email.toLowerCase()).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

/** Users by id, optionally of one institution or holding one role. */
export async function listUsers(db: Db, filter: { institutionId?: string; role?: Role } = {}): Promise<User[]> {
  let query = userSelect(db).orderBy('users.id');
  if (filter.institutionId !== undefined) query = query.where('users.institution_id', '=', filter.institutionId);
  if (filter.role !== undefined) {
    const role = filter.role;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('user_roles as r').select('r.user_id').whereRef('r.user_id', '=', 'users.id').where('r.role', '=', role)),
    );
  }
  return (await query.execute()).map(userFromRow);
}
