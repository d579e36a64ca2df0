/** Projects inside institutions, and who may submit to them. */
import type { Project } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Db } from '../rows.js';
import type { Row } from '../schema.js';

/** Map a projects row to the domain type. */
export function projectFromRow(r: Row<'projects'>): Project {
  return { id: r.id, institutionId: r.institution_id, name: r.name, shares: r.shares };
}

/** Projects by id, optionally only those of one institution. */
export async function listProjects(db: Db, filter: { institutionId?: string } = {}): Promise<Project[]> {
  let query = db.selectFrom('projects').selectAll().orderBy('id');
  if (filter.institutionId !== undefined) query = query.where('institution_id', '=', filter.institutionId);
  return (await query.execute()).map(projectFromRow);
}

/** One project, or DomainError `not_found`. */
export async function getProject(db: Db, id: string): Promise<Project> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('project', id);
  return projectFromRow(row);
}

/** Ids of the users who may submit to a project, in order. */
export async function listProjectMembers(db: Db, projectId: string): Promise<string[]> {
  const rows = await db.selectFrom('project_members').select('user_id').where('project_id', '=', projectId).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/** True when the user may submit to the project. */
export async function isProjectMember(db: Db, projectId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_members')
    .select('user_id')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The projects a user is a member of, by id. */
export async function listUserProjects(db: Db, userId: string): Promise<Project[]> {
  const rows = await db
    .selectFrom('projects')
    .innerJoin('project_members', 'project_members.project_id', 'projects.id')
    .selectAll('projects')
    .where('project_members.user_id', '=', userId)
    .orderBy('projects.id')
    .execute();
  return rows.map(projectFromRow);
}
