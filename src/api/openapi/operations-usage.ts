/** The usage endpoints (issue 7) as documented: GPU-hours, allocation budget state, metering discrepancies. */
import { allocationUsageSchema, discrepancyPageSchema, usageAnswerSchema } from '../schemas/usage-view.js';
import { pageParamDocs, scopeParamDocs, type OperationDoc } from './operation.js';

const timeParam = (name: string, what: string) => ({
  name,
  in: 'query' as const,
  description: `${what}: a date (2026-10-01, UTC midnight) or an RFC 3339 time.`,
  schema: { type: 'string' },
});

const usageExample = {
  from: '2026-10-01T00:00:00.000Z',
  to: '2026-10-31T00:00:00.000Z',
  groupBy: 'project',
  filter: { institution: 'nust' },
  rows: [{ key: 'nust-p1', gpuHours: 1520.5, gpuSeconds: 5473800, measuredGpuSeconds: 5400000, estimatedGpuSeconds: 73800 }],
  total: { key: 'total', gpuHours: 1520.5, gpuSeconds: 5473800, measuredGpuSeconds: 5400000, estimatedGpuSeconds: 73800 },
};

const allocationExample = {
  allocation: 'alloc-nust-2026q4',
  institution: 'nust',
  kind: 'soft',
  periodStart: '2026-10-01T00:00:00.000Z',
  periodEnd: '2027-01-01T00:00:00.000Z',
  awardedGpuHours: 40000,
  usedGpuHours: 1520.5,
  remainingGpuHours: 38479.5,
  burnRateGpuHoursPerDay: 210.25,
  projectedExhaustion: null,
  exhaustsBeforePeriodEnd: false,
  exhausted: false,
};

/** Documentation of GET /v1/usage, GET /v1/allocations/{id}/usage and GET /v1/metering/discrepancies. */
export const usageOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/v1/usage',
    operationId: 'getUsage',
    tag: 'usage',
    summary: 'GPU-hours used',
    description:
      'GPU-hours from the ledger between `from` and `to` (default: the last 30 days), grouped by `groupBy`. JSON by default; CSV with `format=csv` or `Accept: text/csv`. ' +
      'About one institution, the answer also carries its allocations’ budget state.',
    auth: true,
    params: [
      ...scopeParamDocs,
      { name: 'cluster', in: 'query', description: 'Only usage on this cluster.', schema: { type: 'string' } },
      timeParam('from', 'Start'),
      timeParam('to', 'End'),
      { name: 'groupBy', in: 'query', description: 'day (default), week, month, project, user, cluster, gpuType or institution.', schema: { type: 'string' }, example: 'project' },
      { name: 'format', in: 'query', description: '`json` (default) or `csv`.', schema: { type: 'string', enum: ['json', 'csv'] } },
    ],
    responses: {
      200: { description: 'Usage, grouped (or CSV: one line per group).', schema: usageAnswerSchema, example: usageExample },
    },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/v1/allocations/{id}/usage',
    operationId: 'getAllocationUsage',
    tag: 'usage',
    summary: 'Budget state of an allocation',
    description: 'Awarded, used and remaining GPU-hours, the burn rate over the last days and when the budget would run out.',
    auth: true,
    params: [{ name: 'id', in: 'path', required: true, description: 'Allocation id.', schema: { type: 'string' }, example: 'alloc-nust-2026q4' }],
    responses: { 200: { description: 'The budget state.', schema: allocationUsageSchema, example: allocationExample } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/metering/discrepancies',
    operationId: 'listDiscrepancies',
    tag: 'usage',
    summary: 'Metering discrepancies',
    description: 'GPU use the meter saw with no running job behind it, most recent first (operators and national admins).',
    auth: true,
    params: [
      { name: 'cluster', in: 'query', description: 'Only this cluster.', schema: { type: 'string' } },
      { name: 'kind', in: 'query', description: '`unknown-job` or `ended-job`.', schema: { type: 'string', enum: ['unknown-job', 'ended-job'] } },
      timeParam('from', 'Windows from'),
      timeParam('to', 'Windows up to'),
      ...pageParamDocs,
    ],
    responses: { 200: { description: 'A page of discrepancies.', schema: discrepancyPageSchema, example: { items: [] } } },
    errors: [400, 403],
  },
];
