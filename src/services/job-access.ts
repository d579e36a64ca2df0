/**
 * Whose jobs a caller sees — the scoping of job data, every rule in this one file (who may call which
 * job operation at all is the authorisation table's, src/api/authz/rules.ts). A national admin sees
 * anyone's; an institution admin those of their own institution; a CoE operator every job placed on a
 * cluster of the sites they operate (for operations; the queue and budgets stay private); everyone else
 * (researchers) their own, submitting only to projects they are a member of. A job someone may not see
 * is reported as not existing, so ids of other people's jobs leak nothing.
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
  /** Jobs on clusters at these sites (set by the scoping for CoE operators). */
  siteIds?: readonly string[];
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

/** A CoE operator who is neither admin nor researcher: sees jobs by the sites of their clusters. */
function operatesOnly(p: Principal): boolean {
  return hasRole(p, 'coe-operator') && !isNationalAdmin(p) && !hasRole(p, 'institution-admin') && !hasRole(p, 'researcher');
}

/** True when seeing a job depends on its cluster's site (ask `mayView` with it). */
export function needsJobSite(p: Principal): boolean {
  return hasRole(p, 'coe-operator') && !isNationalAdmin(p);
}

/** True when the principal may see the job; `siteId` is the site of the job's cluster, when placed. */
export function mayView(p: Principal, job: JobOwnership, siteId?: string): boolean {
  if (isNationalAdmin(p) || adminsInstitution(p, job.institutionId) || job.userId === p.userId) return true;
  return siteId !== undefined && hasRole(p, 'coe-operator') && p.operatorSiteIds.includes(siteId);
}

/** Throw `not_found` unless the principal may see the job. */
export function assertMayView(p: Principal, job: JobOwnership, siteId?: string): void {
  if (!mayView(p, job, siteId)) throw DomainError.notFound('job', job.id);
}

/** Throw unless the principal may cancel the job: its owner or their admins (operators see, but do not cancel). */
export function assertMayCancel(p: Principal, job: JobOwnership): void {
  assertMayView(p, job);
}

/**
 * The listing filter narrowed to what the principal may see: admins get what they asked for, others
 * their own jobs. Asking for someone else's explicitly is a 403 that says so, not a silently empty page.
 */
export function scopeJobFilter<F extends JobScope>(p: Principal, filter: F): F {
  if (isNationalAdmin(p)) return filter;
  if (operatesOnly(p)) return { ...filter, siteIds: p.operatorSiteIds };
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

/** The queue filter narrowed to the principal: like `scopeJobFilter`, but an operator's queue is their own (pending jobs are on no cluster yet). */
export function scopeQueueFilter<F extends JobScope>(p: Principal, filter: F): F {
  if (operatesOnly(p)) {
    if (filter.userId !== undefined && filter.userId !== p.userId) throw new DomainError('forbidden', `you may list your own jobs only (user ${p.userId})`, { userId: filter.userId });
    return { ...filter, userId: p.userId };
  }
  return scopeJobFilter(p, filter);
}
