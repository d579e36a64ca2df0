/**
 * THE authorisation table: every REST route and gRPC method ncg serves, who may call it and what scope
 * check applies. The REST middleware (rest-middleware.ts) and the gRPC wrapper (../grpc/authorize.ts)
 * both read it; handlers and services never check roles, only narrow data to the caller's scope
 * (job-access.ts, usage-access.ts, report-access.ts).
 *
 * Fail closed: a route or method with no entry here is refused — createApp and startGrpcServer refuse to
 * start, and test/integration/api/authz-matrix.test.ts fails. Adding an operation = adding its line here.
 *
 * Keys: REST `METHOD /path` exactly as the router spells the path (`:id` params); gRPC
 * `package.Service/Method`.
 */
import type { Role } from '../../domain/types.js';
import { ALL_ROLES, publicRule, rule, type AccessTable } from './rule.js';

const NATIONAL: readonly Role[] = ['national-admin'];
/** People who hold GPU-hours: researchers, their institution's admins, national admins (not operators: no budgets). */
const MEMBERS: readonly Role[] = ['researcher', 'institution-admin', 'national-admin'];
const ADMINS: readonly Role[] = ['institution-admin', 'national-admin'];
const OPERATORS: readonly Role[] = ['coe-operator', 'national-admin'];

/** REST operations. */
export const restRules: AccessTable = {
  // Probes, metrics and the API description: no token.
  'GET /healthz': publicRule,
  'GET /readyz': publicRule,
  'GET /metrics': publicRule,
  'GET /openapi.json': publicRule,
  'GET /docs/api': publicRule,

  // Inventory: what exists is no secret to anyone who may submit.
  'GET /v1/sites': rule(ALL_ROLES, 'any'),
  'GET /v1/clusters': rule(ALL_ROLES, 'any'),
  'GET /v1/institutions': rule(ALL_ROLES, 'any'),
  'GET /v1/institutions/:id': rule(ALL_ROLES, 'any'),

  // Jobs: submit to own projects, see and cancel own jobs (institution admins: their institution's) — job-access.ts.
  'POST /v1/jobs': rule(MEMBERS, 'own'),
  'GET /v1/jobs': rule(ALL_ROLES, 'own'),
  'GET /v1/jobs/:id': rule(ALL_ROLES, 'own'),
  'DELETE /v1/jobs/:id': rule(MEMBERS, 'own'),
  'GET /v1/queue': rule(ALL_ROLES, 'own'),

  // Usage and budgets (usage-access.ts narrows); discrepancies are cluster-side, for operators.
  'GET /v1/usage': rule(MEMBERS, 'own'),
  'GET /v1/allocations/:id/usage': rule(MEMBERS, 'institution'),
  'GET /v1/metering/discrepancies': rule(OPERATORS, 'operator-sites'),

  // KPIs and reports: national aggregates for all; institution rows narrowed by report-access.ts.
  'GET /v1/kpis': rule(ALL_ROLES, 'any'),
  'GET /v1/reports/pillar5': rule(ALL_ROLES, 'any'),
  'GET /v1/reports/snapshots': rule(ALL_ROLES, 'any'),
  'GET /v1/reports/snapshots/:period': rule(ALL_ROLES, 'any'),
  'GET /v1/dashboard/me': rule(ALL_ROLES, 'own'),
  'GET /v1/dashboard/overview': rule(ALL_ROLES, 'any'),
  'GET /v1/dashboard/institutions/:id': rule(ALL_ROLES, 'institution', { institution: 'id' }),
  'GET /v1/dashboard/clusters/:id': rule(ALL_ROLES, 'any'),

  // Who am I: everyone, about themself.
  'GET /v1/me': rule(ALL_ROLES, 'own'),

  // API tokens: one's own; institution admins their users', national admins anyone's (token-access.ts).
  'POST /v1/tokens': rule(ALL_ROLES, 'own'),
  'GET /v1/tokens': rule(ALL_ROLES, 'own'),
  'DELETE /v1/tokens/:id': rule(ALL_ROLES, 'own'),

  // Allocation workflow (allocation-access.ts narrows to the caller's institution; another's answers 404):
  // national admins award and decide; institution admins split and request; members read their budgets.
  'GET /v1/allocations': rule(MEMBERS, 'institution'),
  'POST /v1/allocations': rule(NATIONAL, 'national'),
  'GET /v1/allocations/:id': rule(MEMBERS, 'institution'),
  'PUT /v1/allocations/:id/splits/:project': rule(ADMINS, 'institution'),
  'GET /v1/allocations/:id/requests': rule(MEMBERS, 'institution'),
  'POST /v1/allocations/:id/requests': rule(ADMINS, 'institution'),
  'GET /v1/allocation-requests': rule(ADMINS, 'institution'),
  'GET /v1/allocation-requests/:id': rule(ADMINS, 'institution'),
  'POST /v1/allocation-requests/:id/approve': rule(NATIONAL, 'national'),
  'POST /v1/allocation-requests/:id/reject': rule(NATIONAL, 'national'),

  // Projects and members: institution admins manage their institution's; members read them (project-service.ts).
  'GET /v1/projects': rule(MEMBERS, 'institution'),
  'POST /v1/projects': rule(ADMINS, 'institution'),
  'GET /v1/projects/:id': rule(MEMBERS, 'institution'),
  'GET /v1/projects/:id/members': rule(MEMBERS, 'institution'),
  'POST /v1/projects/:id/members': rule(ADMINS, 'institution'),
  'DELETE /v1/projects/:id/members/:user': rule(ADMINS, 'institution'),

  // Cluster operations: CoE operators of the cluster's site, national admins for any.
  'POST /v1/clusters/:id/drain': rule(OPERATORS, 'operator-sites', { cluster: 'id' }),
  'POST /v1/clusters/:id/cordon': rule(OPERATORS, 'operator-sites', { cluster: 'id' }),
  'POST /v1/clusters/:id/resume': rule(OPERATORS, 'operator-sites', { cluster: 'id' }),

  // The audit log: national admins; institution admins their institution's entries (audit-service.ts).
  'GET /v1/audit': rule(ADMINS, 'institution'),
};

/** gRPC methods (proto/ncg/v1). */
export const grpcRules: AccessTable = {
  'grpc.health.v1.Health/Check': publicRule,
  'grpc.health.v1.Health/Watch': publicRule,

  'ncg.v1.JobService/Submit': rule(MEMBERS, 'own'),
  'ncg.v1.JobService/Get': rule(ALL_ROLES, 'own'),
  'ncg.v1.JobService/List': rule(ALL_ROLES, 'own'),
  'ncg.v1.JobService/Cancel': rule(MEMBERS, 'own'),
  'ncg.v1.JobService/Watch': rule(ALL_ROLES, 'own'),

  'ncg.v1.ClusterService/List': rule(ALL_ROLES, 'any'),

  'ncg.v1.UsageService/GetUsage': rule(MEMBERS, 'own'),
  'ncg.v1.UsageService/GetAllocationUsage': rule(MEMBERS, 'institution'),
  'ncg.v1.UsageService/ListDiscrepancies': rule(OPERATORS, 'operator-sites'),

  'ncg.v1.ReportService/GetKpis': rule(ALL_ROLES, 'any'),
  'ncg.v1.ReportService/GetPillar5Report': rule(ALL_ROLES, 'any'),
  'ncg.v1.ReportService/ListSnapshots': rule(ALL_ROLES, 'any'),

  'ncg.v1.TokenService/Create': rule(ALL_ROLES, 'own'),
  'ncg.v1.TokenService/List': rule(ALL_ROLES, 'own'),
  'ncg.v1.TokenService/Revoke': rule(ALL_ROLES, 'own'),

  // The allocation workflow, as its REST routes.
  'ncg.v1.AllocationService/List': rule(MEMBERS, 'institution'),
  'ncg.v1.AllocationService/Get': rule(MEMBERS, 'institution'),
  'ncg.v1.AllocationService/Award': rule(NATIONAL, 'national'),
  'ncg.v1.AllocationService/Split': rule(ADMINS, 'institution'),
  'ncg.v1.AllocationService/RequestChange': rule(ADMINS, 'institution'),
  'ncg.v1.AllocationService/ListChangeRequests': rule(ADMINS, 'institution'),
  'ncg.v1.AllocationService/Approve': rule(NATIONAL, 'national'),
  'ncg.v1.AllocationService/Reject': rule(NATIONAL, 'national'),
};

/** The role sets the table is written with (tests and docs name them). */
export const roleSets = { NATIONAL, MEMBERS, ADMINS, OPERATORS, ALL: ALL_ROLES } as const;
