/**
 * Which allocations a caller may see and act on — scope only (the authorisation table decides roles):
 * national admins reach every allocation; everyone else their own institution's, and another
 * institution's allocation answers 404 as if it did not exist.
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';
import type { Allocation } from '../domain/types.js';

/** True when the principal's scope covers allocations of `institutionId`. */
export function coversInstitution(p: Principal, institutionId: string): boolean {
  return hasRole(p, 'national-admin') || p.institutionId === institutionId;
}

/** Throw `not_found` unless the allocation is within the principal's scope. */
export function assertAllocationInScope(p: Principal, a: Allocation): void {
  if (!coversInstitution(p, a.institutionId)) throw DomainError.notFound('allocation', a.id);
}

/** The institution filter narrowed to the caller: others than national admins see their own institution. */
export function scopeInstitution(p: Principal, institutionId: string | undefined): string | undefined {
  if (hasRole(p, 'national-admin')) return institutionId;
  if (institutionId !== undefined && institutionId !== p.institutionId) {
    throw new DomainError('forbidden', `you may see allocations of your own institution (${p.institutionId}) only`, { institutionId });
  }
  return p.institutionId;
}
