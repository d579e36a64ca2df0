/** The allocation workflow as documented: awards, splits, change requests and decisions. */
import {
  allocationDetailSchema,
  allocationListSchema,
  allocationViewSchema,
  approveBodySchema,
  awardBodySchema,
  changeRequestBodySchema,
  decisionAnswerSchema,
  rejectBodySchema,
  requestListSchema,
  requestViewSchema,
  splitAnswerSchema,
  splitBodySchema,
} from '../schemas/allocations.js';
import type { OperationDoc, ParamDoc } from './operation.js';

const idParam: ParamDoc = { name: 'id', in: 'path', required: true, description: 'Allocation id.', schema: { type: 'string' }, example: 'alloc-nust-2026-q4' };
const requestIdParam: ParamDoc = { name: 'id', in: 'path', required: true, description: 'Change request id.', schema: { type: 'string' }, example: 'areq-01J9Z8Q4M6T0V4W2X3Y5Z7A9BC' };
const statusParam: ParamDoc = { name: 'status', in: 'query', description: '`pending`, `approved` or `rejected`.', schema: { type: 'string', enum: ['pending', 'approved', 'rejected'] } };

const award = { id: 'alloc-nust-2026-q4', institution: 'nust', periodStart: '2026-10-01T00:00:00.000Z', periodEnd: '2027-01-01T00:00:00.000Z', gpuHours: 40000, kind: 'soft', gracePct: 5, mayBorrow: true };
const sub = { ...award, id: 'sub-01J9Z8Q4M6T0V4W2X3Y5Z7A9BC', project: 'nust-vision', parent: 'alloc-nust-2026-q4', gpuHours: 12000 };
const request = {
  id: 'areq-01J9Z8Q4M6T0V4W2X3Y5Z7A9BC', allocation: 'alloc-nust-2026-q4', requestedBy: 'nust-admin', requestedAt: '2026-11-02T09:00:00.000Z',
  extraGpuHours: 5000, extendTo: '2027-02-01T00:00:00.000Z', justification: 'Ablations for the camera-ready version', status: 'pending',
};

/** Documentation of /v1/allocations… and /v1/allocation-requests… */
export const allocationOperations: OperationDoc[] = [
  {
    method: 'get', path: '/v1/allocations', operationId: 'listAllocations', tag: 'allocations', summary: 'List allocations',
    description: 'Awards and project sub-allocations, by institution and period start. Everyone but national admins sees their own institution’s.',
    auth: true,
    params: [
      { name: 'institution', in: 'query', description: 'Only this institution.', schema: { type: 'string' } },
      { name: 'period', in: 'query', description: 'Only allocations overlapping this period: 2026, 2026-Q4, 2026-11 or from/to.', schema: { type: 'string' }, example: '2026-Q4' },
      { name: 'awardsOnly', in: 'query', description: '`true`: institution awards only.', schema: { type: 'string', enum: ['true', 'false'] } },
    ],
    responses: { 200: { description: 'Allocations.', schema: allocationListSchema, example: { items: [award, sub] } } },
    errors: [400, 403],
  },
  {
    method: 'post', path: '/v1/allocations', operationId: 'awardAllocation', tag: 'allocations', summary: 'Award an allocation',
    description: 'A national admin awards an institution GPU-hours for a period (one award per institution and period; change it with a change request).',
    auth: true,
    requestBody: { schema: awardBodySchema, description: 'The award.', example: { institution: 'nust', period: '2026-Q4', gpuHours: 40000, kind: 'soft', gracePct: 5 } },
    responses: { 201: { description: 'Awarded.', schema: allocationViewSchema, example: award } },
    errors: [400, 403, 409],
  },
  {
    method: 'get', path: '/v1/allocations/{id}', operationId: 'getAllocation', tag: 'allocations', summary: 'An allocation with splits, requests and events',
    description: 'The allocation, its project sub-allocations, its change requests and every step of its workflow (awarded, split, requested, approved, rejected).',
    auth: true,
    params: [idParam],
    responses: {
      200: {
        description: 'The allocation.',
        schema: allocationDetailSchema,
        example: { allocation: award, allocatedGpuHours: 12000, subAllocations: [sub], requests: [request], events: [{ id: 1, at: '2026-09-20T10:00:00.000Z', kind: 'awarded', actor: 'admin', data: { gpuHours: 40000, period: '2026-Q4' } }] },
      },
    },
    errors: [404],
  },
  {
    method: 'put', path: '/v1/allocations/{id}/splits/{project}', operationId: 'splitAllocation', tag: 'allocations', summary: 'Set a project’s share of an award',
    description: 'Creates or resizes the project’s sub-allocation (same period, kind, grace and borrowing as the award). The splits of an award never sum to more than it: a 409 states the award, what is already allocated and what was requested.',
    auth: true,
    params: [idParam, { name: 'project', in: 'path', required: true, description: 'Project of the award’s institution.', schema: { type: 'string' }, example: 'nust-vision' }],
    requestBody: { schema: splitBodySchema, description: 'The project’s GPU-hours.', example: { gpuHours: 12000 } },
    responses: { 200: { description: 'The sub-allocation.', schema: splitAnswerSchema, example: { award, subAllocation: sub, allocatedGpuHours: 12000, availableGpuHours: 28000 } } },
    errors: [400, 403, 404, 409, 422],
  },
  {
    method: 'get', path: '/v1/allocations/{id}/requests', operationId: 'listAllocationChangeRequests', tag: 'allocations', summary: 'Change requests of an allocation',
    description: 'Oldest first.', auth: true,
    params: [idParam, statusParam],
    responses: { 200: { description: 'Requests.', schema: requestListSchema, example: { items: [request] } } },
    errors: [400, 404],
  },
  {
    method: 'post', path: '/v1/allocations/{id}/requests', operationId: 'requestAllocationChange', tag: 'allocations', summary: 'Request more GPU-hours or an extension',
    description: 'Filed on an institution award with a justification; a national admin approves or rejects it.',
    auth: true,
    params: [idParam],
    requestBody: { schema: changeRequestBodySchema, description: 'The change.', example: { gpuHours: 5000, extendTo: '2027-02-01', justification: 'Ablations for the camera-ready version' } },
    responses: { 201: { description: 'Filed (pending).', schema: requestViewSchema, example: request } },
    errors: [400, 403, 404, 422],
  },
  {
    method: 'get', path: '/v1/allocation-requests', operationId: 'listChangeRequests', tag: 'allocations', summary: 'Change requests',
    description: 'All change requests a caller may see, oldest first — national admins work through `status=pending`.',
    auth: true,
    params: [statusParam, { name: 'institution', in: 'query', description: 'Only this institution’s.', schema: { type: 'string' } }],
    responses: { 200: { description: 'Requests.', schema: requestListSchema, example: { items: [request] } } },
    errors: [400, 403],
  },
  {
    method: 'get', path: '/v1/allocation-requests/{id}', operationId: 'getChangeRequest', tag: 'allocations', summary: 'A change request',
    description: 'The request and its decision.', auth: true, params: [requestIdParam],
    responses: { 200: { description: 'The request.', schema: requestViewSchema, example: request } },
    errors: [404],
  },
  {
    method: 'post', path: '/v1/allocation-requests/{id}/approve', operationId: 'approveChangeRequest', tag: 'allocations', summary: 'Approve a change request',
    description: 'Applies the change to the award (and moves the period end of its splits with it); the scheduler’s budgets see it from the next cycle. A decided request answers 409.',
    auth: true, params: [requestIdParam],
    requestBody: { schema: approveBodySchema, description: 'An optional comment (the body may be empty).', example: { comment: 'Approved for Q4.' } },
    responses: { 200: { description: 'Approved.', schema: decisionAnswerSchema, example: { request: { ...request, status: 'approved', decidedBy: 'admin', decidedAt: '2026-11-03T10:00:00.000Z' }, allocation: { ...award, gpuHours: 45000, periodEnd: '2027-02-01T00:00:00.000Z' } } } },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'post', path: '/v1/allocation-requests/{id}/reject', operationId: 'rejectChangeRequest', tag: 'allocations', summary: 'Reject a change request',
    description: 'The comment tells the requester why. A decided request answers 409.',
    auth: true, params: [requestIdParam],
    requestBody: { schema: rejectBodySchema, description: 'Why.', example: { comment: 'Please resubmit with last quarter’s usage.' } },
    responses: { 200: { description: 'Rejected.', schema: decisionAnswerSchema, example: { request: { ...request, status: 'rejected', decidedBy: 'admin', decidedAt: '2026-11-03T10:00:00.000Z', comment: 'Please resubmit with last quarter’s usage.' }, allocation: award } } },
    errors: [400, 403, 404, 409],
  },
];
