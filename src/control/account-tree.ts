/**
 * The fair-share account tree (DESIGN §5.1): national → institution (its shares) → project (its shares)
 * → user (one equal share per member, as Slurm's default association shares are). Users who have jobs or
 * recorded usage in a project without being listed as members (an admin submitting for a project, a member
 * who left) get a leaf too: the core sums usage over leaves only, so usage without a leaf would vanish.
 */
import type { AccountRows } from '../store/repositories/account-tree.js';
import { userAccountId, type AccountNode } from '../scheduler/types.js';

/** The root id of the tree, and the usage account of the whole grid. */
export const NATIONAL_ACCOUNT = 'national';

/** Build the tree from the store's rows plus the (project, user) pairs of active jobs and usage leaves. */
export function buildAccountTree(rows: AccountRows, jobUsers: Iterable<{ projectId: string; userId: string }>, usageIds: Iterable<string> = []): AccountNode {
  const usersByProject = new Map<string, Set<string>>();
  const add = (projectId: string, userId: string): void => {
    let set = usersByProject.get(projectId);
    if (!set) usersByProject.set(projectId, (set = new Set()));
    set.add(userId);
  };
  for (const m of rows.members) add(m.projectId, m.userId);
  for (const j of jobUsers) add(j.projectId, j.userId);
  const projectIds = new Set(rows.projects.map((p) => p.id));
  for (const id of usageIds) {
    const leaf = parseLeafId(id, projectIds);
    if (leaf) add(leaf.projectId, leaf.userId);
  }

  const projectsByInstitution = new Map<string, AccountNode[]>();
  for (const p of rows.projects) {
    const users = [...(usersByProject.get(p.id) ?? [])].sort();
    const node: AccountNode = { id: p.id, shares: p.shares, children: users.map((u) => ({ id: userAccountId(p.id, u), shares: 1 })) };
    const list = projectsByInstitution.get(p.institutionId);
    if (list) list.push(node);
    else projectsByInstitution.set(p.institutionId, [node]);
  }
  return {
    id: NATIONAL_ACCOUNT,
    shares: 1,
    children: rows.institutions.map((i) => ({ id: i.id, shares: i.shares, children: projectsByInstitution.get(i.id) ?? [] })),
  };
}

/** The (project, user) of a leaf id `project/user` whose project is known; undefined for other ids. */
export function parseLeafId(id: string, projectIds: ReadonlySet<string>): { projectId: string; userId: string } | undefined {
  for (let i = id.indexOf('/'); i > 0; i = id.indexOf('/', i + 1)) {
    const projectId = id.slice(0, i);
    if (projectIds.has(projectId) && i + 1 < id.length) return { projectId, userId: id.slice(i + 1) };
  }
  return undefined;
}

/**
 * The usage accounts a job's GPU-seconds are added to: the grid, its institution, its project and its user
 * leaf. The core reads leaves only; the upper levels are kept for reports and as the usage of a project or
 * institution that has no leaves. Deduplicated, should an institution and a project share an id.
 */
export function usageAccountsOf(job: { institutionId: string; projectId: string; userId: string }): string[] {
  return [...new Set([NATIONAL_ACCOUNT, job.institutionId, job.projectId, userAccountId(job.projectId, job.userId)])];
}
