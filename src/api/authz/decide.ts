/**
 * The decision for one call: may this principal call the operation this rule guards, on these ids?
 * Pure apart from the optional cluster → site lookup. Throws a DomainError the transports map to
 * 403 / PERMISSION_DENIED (wrong role, or an operator's site it does not operate) or 404 / NOT_FOUND
 * (another institution's resource: its existence is not revealed).
 */
import { DomainError } from '../../domain/errors.js';
import { hasRole, type Principal } from '../../domain/principal.js';
import type { Role } from '../../domain/types.js';
import type { AccessRule } from './rule.js';

/** Lookups a scope check may need; absent ones make such checks refuse (fail closed). */
export interface ScopeLookups {
  /** The site a cluster belongs to; undefined when the cluster does not exist. */
  siteOfCluster?(clusterId: string): Promise<string | undefined>;
}

/** "the national-admin role" / "one of the roles researcher, institution-admin or national-admin". */
export function rolesPhrase(roles: readonly Role[]): string {
  if (roles.length === 1) return `the ${roles[0]} role`;
  return `one of the roles ${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`;
}

/** The 403 for a caller without any of the rule's roles; the message names what is needed. */
export function roleDenied(operation: string, rule: AccessRule, p: Principal): DomainError {
  const held = p.roles.length > 0 ? p.roles.join(', ') : 'no role';
  return new DomainError('forbidden', `${operation} needs ${rolesPhrase(rule.roles)}; your token's user ${p.userId} has ${held}`, {
    operation,
    neededRoles: [...rule.roles],
  });
}

function idOf(values: Record<string, unknown>, field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const v = values[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function assertSite(p: Principal, siteId: string): void {
  if (hasRole(p, 'coe-operator') && p.operatorSiteIds.includes(siteId)) return;
  const yours = p.operatorSiteIds.length > 0 ? p.operatorSiteIds.join(', ') : 'none';
  throw new DomainError('forbidden', `site ${siteId} is not one you operate (yours: ${yours}); a coe-operator of that site or a national admin may do this`, { siteId });
}

async function checkTargets(rule: AccessRule, p: Principal, values: Record<string, unknown>, lookups: ScopeLookups): Promise<void> {
  const institution = idOf(values, rule.target?.institution);
  if (institution !== undefined && institution !== p.institutionId) throw DomainError.notFound('institution', institution);
  const site = idOf(values, rule.target?.site);
  if (site !== undefined) assertSite(p, site);
  const cluster = idOf(values, rule.target?.cluster);
  if (cluster !== undefined) {
    if (!lookups.siteOfCluster) throw new DomainError('forbidden', `cannot tell which site cluster ${cluster} belongs to; refused`);
    const siteOfCluster = await lookups.siteOfCluster(cluster);
    // An unknown cluster is left to the handler's own 404; a known one must be at a site the operator runs.
    if (siteOfCluster !== undefined) assertSite(p, siteOfCluster);
  }
}

/**
 * Allow or throw. `operation` names the call in messages (`POST /v1/jobs`, `ncg.v1.JobService/Submit`);
 * `values` are the path parameters (REST) or request fields (gRPC) the rule's targets name.
 */
export async function authorize(operation: string, rule: AccessRule, p: Principal, values: Record<string, unknown>, lookups: ScopeLookups = {}): Promise<void> {
  if (rule.scope === 'public') return;
  if (!rule.roles.some((r) => hasRole(p, r))) throw roleDenied(operation, rule, p);
  // National admins act on the whole grid; everyone else within their institution or sites.
  if ((hasRole(p, 'national-admin') && rule.roles.includes('national-admin')) || !rule.target) return;
  await checkTargets(rule, p, values, lookups);
}
