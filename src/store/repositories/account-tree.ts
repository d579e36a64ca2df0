/**
 * The rows the fair-share account tree is built from (DESIGN §5.1): every institution and project with
 * its shares, and who is a member of which project. Three small queries, read once per cycle.
 */
import type { Db } from '../rows.js';

/** Shares and membership of the whole grid. */
export interface AccountRows {
  institutions: { id: string; shares: number }[];
  projects: { id: string; institutionId: string; shares: number }[];
  members: { projectId: string; userId: string }[];
}

/** Load institutions, projects and project members, each in id order. */
export async function loadAccountRows(db: Db): Promise<AccountRows> {
  const [institutions, projects, members] = await Promise.all([
    db.selectFrom('institutions').select(['id', 'shares']).orderBy('id').execute(),
    db.selectFrom('projects').select(['id', 'institution_id', 'shares']).orderBy('id').execute(),
    db.selectFrom('project_members').select(['project_id', 'user_id']).orderBy('project_id').orderBy('user_id').execute(),
  ]);
  return {
    institutions: institutions.map((r) => ({ id: r.id, shares: r.shares })),
    projects: projects.map((r) => ({ id: r.id, institutionId: r.institution_id, shares: r.shares })),
    members: members.map((r) => ({ projectId: r.project_id, userId: r.user_id })),
  };
}
