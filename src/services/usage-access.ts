/**
 * Who may see which usage — every rule in one file, like job-access.ts:
 *   - a national admin sees everything;
 *   - an institution admin sees their institution (asking for another is a 403 that says so);
 *   - everyone else sees their own usage (as a user), and the budget state of their institution's
 *     allocations (numbers every member plans by);
 *   - discrepancies (cluster-level, not any institution's): national admins all, CoE operators their sites'.
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';

/** Filters a usage query carries (all optional). */
export interface UsageScope {
  institutionId?: string;
  projectId?: string;
  userId?: string;
  clusterId?: string;
}

/** The filter narrowed to what the principal may see. */
export function scopeUsage<S extends UsageScope>(p: Principal, scope: S): S {
  if (hasRole(p, 'national-admin')) return scope;
  if (hasRole(p, 'institution-admin')) {
    if (scope.institutionId !== undefined && scope.institutionId !== p.institutionId) {
      throw new DomainError('forbidden', `you may see usage of your own institution (${p.institutionId}) only`, { institutionId: scope.institutionId });
    }
    return { ...scope, institutionId: p.institutionId };
  }
  if (scope.userId !== undefined && scope.userId !== p.userId) {
    throw new DomainError('forbidden', `you may see your own usage only (user ${p.userId})`, { userId: scope.userId });
  }
  if (scope.institutionId !== undefined && scope.institutionId !== p.institutionId) {
    throw new DomainError('forbidden', `you may see usage of your own institution (${p.institutionId}) only`, { institutionId: scope.institutionId });
  }
  return { ...scope, userId: p.userId };
}

/** True when the principal may see the budget state of an allocation of `institutionId`. */
export function mayViewAllocation(p: Principal, institutionId: string): boolean {
  return hasRole(p, 'national-admin') || p.institutionId === institutionId;
}

/**
 * The discrepancy filter narrowed to the caller: national admins see every cluster, CoE operators the
 * clusters of the sites they operate. (Who may ask at all is the authorisation table's decision.)
 */
export function scopeDiscrepancies<F extends { siteIds?: readonly string[] }>(p: Principal, filter: F): F {
  if (hasRole(p, 'national-admin')) return filter;
  return { ...filter, siteIds: p.operatorSiteIds };
}
