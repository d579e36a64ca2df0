/**
 * Who may do what with jobs — every rule in this one file, so the fine-grained roles of a later issue
 * change one place. For now (issue 4): a national admin acts for anyone; an institution admin for the
 * jobs and projects of their own institution; everyone else (researchers) for themself, submitting only
 * to projects they are a member of. A job someone may not see is reported as not existing, so ids of
 * other people's jobs leak nothing.
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';
import type { Project } from '../domain/types.js';

/** The fields of a job the rules look at. */
export interface JobOwnership {
  id: string;
  userId: string;
  institutionId: string;
}

/** Filters a job listing accepts (all optional, combined with AND). */
export interface JobScope {
  institutionId?: string;
  projectId?: string;
  userId?: string;
}

function isNationalAdmin(p: Principal): boolean {
  return hasRole(p, 'national-admin');
}

function adminsInstitution(p: Principal, institutionId: string): boolean {
  return hasRole(p, 'institution-admin') && p.institutionId === institutionId;
}

/**
 * Throw `forbidden` unless the principal may submit to `project`. `isMember` is only asked when the
 * answer depends on it (admins skip the lookup).
 */
export async function authorizeSubmit(p: Principal, project: Project, isMember: () => Promise<boolean>): Promise<void> {
  if (isNationalAdmin(p) || adminsInstitution(p, project.institutionId)) return;
  if (await isMember()) return;
  throw new DomainError('forbidden', `you are not a member of project ${project.id}; ask its institution admin to add you, or submit to one of your own projects`, {
    projectId: project.id,
  });
}

/** True when the principal may see the job. */
export function mayView(p: Principal, job: JobOwnership): boolean {
  return isNationalAdmin(p) || adminsInstitution(p, job.institutionId) || job.userId === p.userId;
}

/** Throw `not_found` unless the principal may see the job. */
export function assertMayView(p: Principal, job: JobOwnership): void {
  if (!mayView(p, job)) throw DomainError.notFound('job', job.id);
}

/** Throw unless the principal may cancel the job (today: whoever may see it). */
export function assertMayCancel(p: Principal, job: JobOwnership): void {
  assertMayView(p, job);
}

/**
 * The listing filter narrowed to what the principal may see: admins get what they asked for, others
 * their own jobs. Asking for someone else's explicitly is a 403 that says so, not a silently empty page.
 */
export function scopeJobFilter<F extends JobScope>(p: Principal, filter: F): F {
  if (isNationalAdmin(p)) return filter;
  if (hasRole(p, 'institution-admin')) {
    if (filter.institutionId !== undefined && filter.institutionId !== p.institutionId) {
      throw new DomainError('forbidden', `you may list jobs of your own institution (${p.institutionId}) only`, { institutionId: filter.institutionId });
    }
    return { ...filter, institutionId: p.institutionId };
  }
  if (filter.userId !== undefined && filter.userId !== p.userId) {
    throw new DomainError('forbidden', `you may list your own jobs only (user ${p.userId})`, { userId: filter.userId });
  }
  return { ...filter, userId: p.userId };
}
