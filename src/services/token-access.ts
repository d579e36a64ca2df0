/**
 * Whose API tokens a caller may create, list and revoke — like job-access.ts, every rule here: anyone
 * their own; an institution admin those of users of their institution; a national admin anyone's.
 * Another institution's user (or token) is reported as not existing, so ids leak nothing.
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';

/** The owner of a token (or the user a token would be for). */
export interface TokenOwner {
  userId: string;
  institutionId: string;
}

/** True when the principal may manage `owner`'s tokens. */
export function mayManageTokensOf(p: Principal, owner: TokenOwner): boolean {
  if (owner.userId === p.userId || hasRole(p, 'national-admin')) return true;
  return hasRole(p, 'institution-admin') && owner.institutionId === p.institutionId;
}

/** Throw unless the principal may manage the user's tokens: 404 outside their reach, 403 inside their institution. */
export function assertMayManageTokensOf(p: Principal, owner: TokenOwner): void {
  if (mayManageTokensOf(p, owner)) return;
  if (owner.institutionId !== p.institutionId) throw DomainError.notFound('user', owner.userId);
  throw new DomainError('forbidden', `only ${owner.userId}, an institution admin of ${owner.institutionId} or a national admin may manage ${owner.userId}'s tokens`, { userId: owner.userId });
}
