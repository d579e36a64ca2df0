/** KPI, report, snapshot and dashboard-data endpoints as documented. */
import { dashboardMeSchema, dashboardPageSchema, kpiReportSchema, pillar5Schema, snapshotListSchema, snapshotSchema } from '../schemas/reports.js';
import type { OperationDoc, ParamDoc } from './operation.js';

const periodParams: ParamDoc[] = [
  { name: 'period', in: 'query', description: 'A year (`2026`), quarter (`2026-Q3`), month (`2026-11`) or day (`2026-11-05`), UTC. Default: the current month. Not with from/to.', schema: { type: 'string' }, example: '2026-Q3' },
  { name: 'from', in: 'query', description: 'Start (inclusive) of an explicit period: a date or RFC 3339 time; widened to whole UTC days. With `to`.', schema: { type: 'string' } },
  { name: 'to', in: 'query', description: 'End (exclusive) of an explicit period. With `from`.', schema: { type: 'string' } },
];

/** Documentation of the reports endpoints. */
export const reportOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/v1/kpis',
    operationId: 'getKpis',
    tag: 'reports',
    summary: 'National KPIs for a period, grouped',
    description:
      'Capacity, GPU-hours available and delivered, utilisation, efficiency, waits (mean, p50, p90, per GPU-size class), jobs by final state, active users and projects, institutions served against the targets, consolidation and the allocation pipeline — Open XDMoD definitions. JSON, or CSV (one row per group, the national row first) with `Accept: text/csv` or `format=csv`. Grouped by institution or project, non-national users see their own institution’s rows only.',
    auth: true,
    params: [
      ...periodParams,
      { name: 'groupBy', in: 'query', description: '`national` (default), `site`, `province` (of the compute), `cluster`, `gpuType`, `institution`, `institutionProvince` (of the users) or `project`.', schema: { type: 'string', enum: ['national', 'site', 'province', 'cluster', 'gpuType', 'institution', 'institutionProvince', 'project'] } },
      { name: 'format', in: 'query', description: '`json` or `csv` (overrides Accept).', schema: { type: 'string', enum: ['json', 'csv'] } },
    ],
    responses: { 200: { description: 'The KPIs (or CSV: one line per group, the national line first).', schema: kpiReportSchema } },
    errors: [400, 503],
  },
  {
    method: 'get',
    path: '/v1/reports/pillar5',
    operationId: 'getPillar5Report',
    tag: 'reports',
    summary: 'The Pillar-5 report',
    description: 'National AI compute capacity, consolidation of HPC clusters, institutions with compute access vs the 100/150 targets, GPU-hours delivered, utilisation, efficiency and waits, with per-province and per-site breakdowns. JSON, CSV (long: section, key, label, metric, value) or a printable HTML page (`format=html` or `Accept: text/html`).',
    auth: true,
    params: [...periodParams, { name: 'format', in: 'query', description: '`json`, `csv` or `html` (overrides Accept).', schema: { type: 'string', enum: ['json', 'csv', 'html'] } }],
    responses: { 200: { description: 'The report (or its CSV or HTML rendering).', schema: pillar5Schema } },
    errors: [400, 503],
  },
  {
    method: 'get',
    path: '/v1/reports/snapshots',
    operationId: 'listSnapshots',
    tag: 'reports',
    summary: 'List KPI snapshots, re-verified',
    description: 'Immutable Pillar-5 snapshots written by the schedules (monthly and quarterly by default), newest first. Each listing recomputes the SHA-256 of the stored canonical JSON: `verified` is false if the content no longer matches its hash.',
    auth: true,
    responses: { 200: { description: 'Snapshots.', schema: snapshotListSchema, example: { items: [{ id: 1, kind: 'pillar5', period: '2026-Q3', periodStart: '2026-07-01T00:00:00.000Z', periodEnd: '2026-10-01T00:00:00.000Z', sha256: 'a'.repeat(64), createdAt: '2026-10-01T00:15:00.000Z', verified: true }] } } },
    errors: [400, 503],
  },
  {
    method: 'get',
    path: '/v1/reports/snapshots/{period}',
    operationId: 'getSnapshot',
    tag: 'reports',
    summary: 'One snapshot with its content',
    description: 'The stored Pillar-5 document of a period, with its hash re-verified.',
    auth: true,
    params: [{ name: 'period', in: 'path', description: 'The period name, e.g. `2026-Q3` or `2026-11`.', schema: { type: 'string' }, example: '2026-Q3' }],
    responses: { 200: { description: 'The snapshot.', schema: snapshotSchema } },
    errors: [400, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/dashboard/me',
    operationId: 'dashboardMe',
    tag: 'reports',
    summary: 'Dashboard: who is signed in',
    description: 'The token’s user, institution and roles, so the dashboard shows what that role may see.',
    auth: true,
    responses: { 200: { description: 'The signed-in user.', schema: dashboardMeSchema, example: { userId: 'nust-admin', institutionId: 'nust', roles: ['institution-admin'], operatorSiteIds: [] } } },
    errors: [400],
  },
  ...(['overview', 'institutions/{id}', 'clusters/{id}'] as const).map((page): OperationDoc => ({
    method: 'get',
    path: `/v1/dashboard/${page}`,
    operationId: page === 'overview' ? 'dashboardOverview' : page.startsWith('inst') ? 'dashboardInstitution' : 'dashboardCluster',
    tag: 'reports',
    summary: page === 'overview' ? 'Dashboard: national overview' : page.startsWith('inst') ? 'Dashboard: an institution' : 'Dashboard: a cluster',
    description:
      page === 'overview' ? 'Capacity by site and GPU type, GPUs in use now, the queue by GPU type, recent utilisation, institutions served this quarter and GPU-hours by province — what the dashboard at / shows.'
      : page.startsWith('inst') ? 'Allocations with projected exhaustion, use by project, jobs by state and the queue of one institution (its members and national admins only).'
      : 'Pools with live nodes and GPUs, GPUs allocated, and the cluster’s health over the last day.',
    auth: true,
    ...(page === 'overview' ? {} : { params: [{ name: 'id', in: 'path' as const, description: page.startsWith('inst') ? 'Institution id.' : 'Cluster id.', schema: { type: 'string' } }] }),
    responses: { 200: { description: 'The page’s data.', schema: dashboardPageSchema } },
    errors: page === 'overview' ? [400, 503] : [400, 403, 404, 503],
  })),
];
