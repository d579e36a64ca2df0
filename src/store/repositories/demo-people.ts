/** Who the demo workload submits as: every researcher with the projects they belong to. */
import { sql } from 'kysely';
import type { Db } from '../rows.js';

/** A researcher and one project they may submit to. */
export interface DemoMember { userId: string; institutionId: string; projectId: string }

/** Every (researcher, project) membership, in a stable order. */
export async function researcherMemberships(db: Db): Promise<DemoMember[]> {
  const r = await sql<DemoMember>`
    select u.id as "userId", u.institution_id as "institutionId", m.project_id as "projectId"
      from users u
      join user_roles ur on ur.user_id = u.id and ur.role = 'researcher'
      join project_members m on m.user_id = u.id
     order by u.id, m.project_id`.execute(db);
  return r.rows;
}
