/** Creating projects and changing who may submit to them (institution admins, through the ProjectService). */
import type { Project } from '../../domain/types.js';
import { withDbErrors } from '../db-errors.js';
import type { Db } from '../rows.js';
import { projectFromRow } from './projects.js';

/** Record a new project; DomainError `conflict` for a taken id, `invalid` for bad fields. */
export async function insertProject(db: Db, p: Project): Promise<Project> {
  const row = await withDbErrors(() =>
    db.insertInto('projects').values({ id: p.id, institution_id: p.institutionId, name: p.name, shares: p.shares }).returningAll().executeTakeFirstOrThrow(),
  );
  return projectFromRow(row);
}

/** Add a member; false when they were one already. */
export async function insertProjectMember(db: Db, projectId: string, userId: string): Promise<boolean> {
  const rows = await withDbErrors(() =>
    db.insertInto('project_members').values({ project_id: projectId, user_id: userId }).onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing()).returning('user_id').execute(),
  );
  return rows.length > 0;
}

/** Remove a member; false when they were not one. */
export async function deleteProjectMember(db: Db, projectId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
