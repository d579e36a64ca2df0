/**
 * "Who am I?" (GET /v1/me): the caller's identity as the server resolved it — user, institution, roles,
 * operated sites — with the projects they may charge and the one `ncg submit` uses when none is named.
 */
import { hasRole, type Principal } from '../domain/principal.js';
import type { Project } from '../domain/types.js';
import { listProjects, listUserProjects } from '../store/repositories/projects.js';
import { getUser } from '../store/repositories/users.js';
import type { Db } from '../store/rows.js';

/** The caller, as GET /v1/me answers. */
export interface Me {
  userId: string;
  name: string;
  email: string;
  institutionId: string;
  roles: string[];
  operatorSiteIds: string[];
  /** Projects the caller is a member of. */
  projects: Pick<Project, 'id' | 'name' | 'institutionId'>[];
  /**
   * What a submission without a project charges: the first project the caller is a member of; for an admin
   * who is a member of none, the first project of their own institution (admins may submit to it). Absent
   * when there is none.
   */
  defaultProject?: string;
}

/** Describe the principal. */
export async function whoami(db: Db, p: Principal): Promise<Me> {
  const [user, projects] = await Promise.all([getUser(db, p.userId), listUserProjects(db, p.userId)]);
  const me: Me = {
    userId: user.id, name: user.name, email: user.email, institutionId: p.institutionId, roles: [...p.roles], operatorSiteIds: [...p.operatorSiteIds],
    projects: projects.map((x) => ({ id: x.id, name: x.name, institutionId: x.institutionId })),
  };
  let fallback = projects[0]?.id;
  if (fallback === undefined && (hasRole(p, 'institution-admin') || hasRole(p, 'national-admin'))) {
    fallback = (await listProjects(db, { institutionId: p.institutionId }))[0]?.id;
  }
  if (fallback !== undefined) me.defaultProject = fallback;
  return me;
}
