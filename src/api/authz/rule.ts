/**
 * The shape of one entry of the authorisation table (rules.ts): who may call an operation and which
 * scope check applies. REST operations are keyed `METHOD /path` (express path syntax, `:param`), gRPC
 * methods `package.Service/Method`. One entry per operation; the REST middleware and the gRPC wrapper
 * read the same table, so one place decides.
 */
import type { Role } from '../../domain/types.js';

/** Every role, for operations any signed-in user may call. */
export const ALL_ROLES: readonly Role[] = ['researcher', 'institution-admin', 'coe-operator', 'national-admin'];

/**
 * What an allowed caller may reach:
 * - `public`: no token at all (probes, docs, the dashboard's files, gRPC health);
 * - `any`: every signed-in caller sees the same thing (inventory, national aggregates);
 * - `own`: the caller's own things; admins further — narrowed by the service (job-access.ts, usage-access.ts);
 * - `institution`: the caller's institution (another institution's answers 404);
 * - `operator-sites`: clusters and sites a CoE operator operates;
 * - `national`: the whole grid, national admins only.
 */
export type Scope = 'public' | 'any' | 'own' | 'institution' | 'operator-sites' | 'national';

/** Kinds of resource a scope check can compare with the caller (by id taken from the request). */
export type TargetKind = 'institution' | 'site' | 'cluster';

/** One operation's rule. */
export interface AccessRule {
  /** Roles that may call it (any one suffices); ignored for `public`. */
  roles: readonly Role[];
  scope: Scope;
  /**
   * Ids in the request the scope check compares with the caller, by kind: the path parameter (REST) or
   * request field (gRPC) naming the institution, site or cluster. Absent: the service narrows instead.
   */
  target?: Partial<Record<TargetKind, string>>;
}

/** The authorisation table: operation key → rule. */
export type AccessTable = Readonly<Record<string, AccessRule>>;

/** A rule for operations without a token. */
export const publicRule: AccessRule = { roles: [], scope: 'public' };

/** A rule: these roles, this scope (and optionally which request ids the scope check reads). */
export function rule(roles: readonly Role[], scope: Exclude<Scope, 'public'>, target?: AccessRule['target']): AccessRule {
  return target ? { roles, scope, target } : { roles, scope };
}
