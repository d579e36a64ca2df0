/**
 * The gRPC face of the authorisation table (src/api/authz/rules.ts): every ncg.v1 handler built by
 * call.ts asks this after authenticating, so handlers never check roles. A method without a rule is
 * refused — at startup (startGrpcServer checks every served method) and, should one slip through, at call
 * time with PERMISSION_DENIED.
 */
import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/principal.js';
import { authorize, type ScopeLookups } from '../authz/decide.js';
import { grpcRules } from '../authz/rules.js';
import type { AccessTable } from '../authz/rule.js';

/** Allows the call or throws (403/404-style DomainError). `method` is call.ts's `Service.Method` name. */
export type GrpcAuthorizer = (method: string, principal: Principal, request: Record<string, unknown>) => Promise<void>;

/** The package every ncg service lives in. */
const PACKAGE = 'ncg.v1';

/** `JobService.Submit` → `ncg.v1.JobService/Submit`, the table's key. */
export function grpcRuleKey(method: string): string {
  const dot = method.lastIndexOf('.');
  return `${PACKAGE}.${method.slice(0, dot)}/${method.slice(dot + 1)}`;
}

/** An authorizer over `table` (default: the table in rules.ts). */
export function grpcAuthorizer(table: AccessTable = grpcRules, lookups: ScopeLookups = {}): GrpcAuthorizer {
  return async (method, principal, request) => {
    const key = grpcRuleKey(method);
    const rule = table[key];
    if (!rule) throw new DomainError('forbidden', `${key} has no authorisation rule and is refused`);
    await authorize(key, rule, principal, request, lookups);
  };
}

/** The table keys (`package.Service/Method`) of a service definition's methods. */
export function methodKeys(service: grpc.ServiceDefinition): string[] {
  return Object.values(service).map((m) => m.path.replace(/^\//, ''));
}

/** Throw (refusing to start) when a served method has no rule. */
export function assertEveryMethodHasRule(service: grpc.ServiceDefinition, table: AccessTable = grpcRules): void {
  const missing = methodKeys(service).filter((k) => !table[k]);
  if (missing.length > 0) throw new Error(`no authorisation rule for gRPC ${missing.join(', ')}; add an entry to src/api/authz/rules.ts (methods without one are refused)`);
}
