/**
 * Projects and their members, managed by institution admins (national admins for any institution).
 * Roles are the authorisation table's business; this service narrows to the caller's institution — a
 * project, institution or user elsewhere answers 404. Membership decides who may submit, and the submit
 * path caches it (ProjectDirectory, 30 s): every change calls `onChange` so this replica's cache is
 * dropped at once and a removed member cannot keep submitting here.
 */
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/types.js';
import { memberAddSchema, projectCreateSchema } from '../api/schemas/projects.js';
import { parseOrInvalid } from '../api/schemas/zod-issues.js';
import { getProject, listProjectMembers, listProjects } from '../store/repositories/projects.js';
import { deleteProjectMember, insertProject, insertProjectMember } from '../store/repositories/project-changes.js';
import { getInstitution } from '../store/repositories/institutions.js';
import { getUser } from '../store/repositories/users.js';
import type { Db } from '../store/rows.js';
import { coversInstitution, scopeInstitution } from './allocation-access.js';
import { recordAudit } from './audit.js';

/** A project with its member ids. */
export interface ProjectDetail extends Project {
  members: string[];
}

/** The outcome of a membership change. */
export interface MemberChange {
  projectId: string;
  userId: string;
  changed: boolean;
  members: string[];
}

/** Construction options. */
export interface ProjectServiceOptions {
  db: Db;
  /** Called after any change to projects or memberships (drop cached memberships). */
  onChange?: () => void;
}

/** Create projects, add and remove members. */
export class ProjectService {
  private readonly db: Db;

  constructor(private readonly opts: ProjectServiceOptions) {
    this.db = opts.db;
  }

  /** Projects the caller may see: national admins any institution's, others their own. */
  async list(p: Principal, filter: { institutionId?: string } = {}): Promise<Project[]> {
    const institutionId = scopeInstitution(p, filter.institutionId);
    return listProjects(this.db, institutionId !== undefined ? { institutionId } : {});
  }

  /** One project with its members; another institution's is a 404. */
  async get(p: Principal, id: string): Promise<ProjectDetail> {
    const project = await this.visible(p, id);
    return { ...project, members: await listProjectMembers(this.db, id) };
  }

  /** Create a project in the caller's institution (national admins: in any). */
  async create(p: Principal, body: unknown): Promise<Project> {
    const input = parseOrInvalid(projectCreateSchema, body, 'project');
    const institutionId = input.institution ?? p.institutionId;
    if (!coversInstitution(p, institutionId)) throw DomainError.notFound('institution', institutionId);
    await getInstitution(this.db, institutionId).catch(() => {
      throw DomainError.invalid(`institution ${JSON.stringify(institutionId)} does not exist`, [{ path: 'institution', message: 'unknown institution' }]);
    });
    const id = input.id ?? `${institutionId}-${slugOf(input.name)}`;
    const project = await this.db.transaction().execute(async (tx) => {
      const created = await insertProject(tx, { id, institutionId, name: input.name, shares: input.shares });
      await recordAudit(tx, p, { action: 'project.create', target: { kind: 'project', id }, institutionId, after: created });
      return created;
    });
    this.changed();
    return project;
  }

  /** Add a user of the project's institution as a member (idempotent). */
  async addMember(p: Principal, projectId: string, body: unknown): Promise<MemberChange> {
    // Scope before the body: another institution's project is a 404 whatever was sent.
    const project = await this.visible(p, projectId);
    const input = parseOrInvalid(memberAddSchema, body, 'member');
    const user = await getUser(this.db, input.user).catch(() => undefined);
    // A user of another institution is reported as unknown: its existence is not the caller's business.
    if (!user || user.institutionId !== project.institutionId) throw DomainError.notFound('user', input.user);
    return this.change(p, project, user.id, 'add');
  }

  /** Remove a member (idempotent: removing a non-member changes nothing). */
  async removeMember(p: Principal, projectId: string, userId: string): Promise<MemberChange> {
    const project = await this.visible(p, projectId);
    return this.change(p, project, userId, 'remove');
  }

  private async change(p: Principal, project: Project, userId: string, op: 'add' | 'remove'): Promise<MemberChange> {
    const changed = await this.db.transaction().execute(async (tx) => {
      const did = op === 'add' ? await insertProjectMember(tx, project.id, userId) : await deleteProjectMember(tx, project.id, userId);
      if (did) {
        const member = { project: project.id, user: userId };
        await recordAudit(tx, p, { action: `project.member.${op}`, target: { kind: 'project', id: project.id }, institutionId: project.institutionId, ...(op === 'add' ? { after: member } : { before: member }) });
      }
      return did;
    });
    // Dropped even when nothing changed: cheap, and it never leaves a stale answer behind.
    this.changed();
    return { projectId: project.id, userId, changed, members: await listProjectMembers(this.db, project.id) };
  }

  private async visible(p: Principal, id: string): Promise<Project> {
    const project = await getProject(this.db, id);
    if (!coversInstitution(p, project.institutionId)) throw DomainError.notFound('project', id);
    return project;
  }

  private changed(): void {
    this.opts.onChange?.();
  }
}

/** `Vision & Language 2` → `vision-language-2`. */
function slugOf(name: string): string {
  const s = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return s === '' ? 'project' : s;
}
