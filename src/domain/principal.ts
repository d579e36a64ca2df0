/** Who is making a request, as resolved from its bearer token. */
import type { Role } from './types.js';

/** The authenticated caller that services receive. */
export interface Principal {
  userId: string;
  institutionId: string;
  roles: Role[];
  /** Sites a coe-operator operates. */
  operatorSiteIds: string[];
  /** The token that authenticated the request (for the audit trail). */
  tokenId?: string;
  /** The client's address as the transport saw it (for the audit trail); set per request, never cached. */
  address?: string;
}

/** True when the principal holds the role. */
export function hasRole(p: Principal, role: Role): boolean {
  return p.roles.includes(role);
}
