/**
 * Cached answers to "which institution owns project P?" and "may user U submit to P?" for the submit hot
 * path. Both change rarely (admins edit them); a change takes effect within `ttlMs` (default 30 s).
 * An unknown project is not cached, so creating it takes effect at once.
 */
import { DomainError } from '../domain/errors.js';
import type { Project } from '../domain/types.js';
import { getProject, isProjectMember } from '../store/index.js';
import type { Db } from '../store/rows.js';
import { TtlCache, loadThrough } from './ttl-cache.js';

/** Project and membership lookups with a short-lived cache. */
export class ProjectDirectory {
  private readonly projects: TtlCache<string, Promise<Project>>;
  private readonly members: TtlCache<string, Promise<boolean>>;

  constructor(
    private readonly db: Db,
    ttlMs = 30_000,
    now: () => number = Date.now,
  ) {
    this.projects = new TtlCache(ttlMs, 10_000, now);
    this.members = new TtlCache(ttlMs, 50_000, now);
  }

  /** The project, or a 400 naming the `project` field (it is a body field, so not a 404 of the URL). */
  async project(id: string): Promise<Project> {
    try {
      return await loadThrough(this.projects, id, (key) => getProject(this.db, key));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not_found') {
        throw DomainError.invalid(`project ${JSON.stringify(id)} does not exist`, [{ path: 'project', message: 'unknown project' }]);
      }
      throw e;
    }
  }

  /** True when the user is a member of the project. */
  isMember(projectId: string, userId: string): Promise<boolean> {
    // NUL cannot occur in either id (ids are validated), so it separates them unambiguously.
    return loadThrough(this.members, `${projectId}\u0000${userId}`, () => isProjectMember(this.db, projectId, userId));
  }

  /** Forget everything (after an admin changed projects or memberships). */
  clear(): void {
    this.projects.clear();
    this.members.clear();
  }
}
