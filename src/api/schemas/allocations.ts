/**
 * Bodies and answers of the allocation workflow (src/api/rest/routes/allocations.ts): award, split,
 * change request, decision. The server validates with these and the OpenAPI document is generated from
 * them. Periods and dates are text (`2026-Q4`, `2026-12-31`, RFC 3339); the service resolves them.
 */
import { z } from 'zod';
import { isoTime } from './common.js';
import { storableText } from './job-submit.js';

const slug = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only');
const gpuHours = z.number().finite().min(0).max(1e9);
const when = z.string().max(64).meta({ description: 'A date (2026-12-31, UTC midnight) or an RFC 3339 time.' });

/** POST /v1/allocations: a national admin awards an institution GPU-hours for a period. */
export const awardBodySchema = z
  .strictObject({
    id: slug.optional().meta({ description: 'Allocation id; default `alloc-<institution>-<period>`.' }),
    institution: slug.meta({ description: 'Institution id.' }),
    period: z.string().max(64).optional().meta({ description: 'The period: 2026, 2026-Q4, 2026-11 or from/to. Or give periodStart and periodEnd.', examples: ['2026-Q4'] }),
    periodStart: when.optional(),
    periodEnd: when.optional(),
    gpuHours: gpuHours.meta({ description: 'GPU-hour budget.' }),
    kind: z.enum(['hard', 'soft']).default('hard').meta({ description: 'hard: nothing beyond the budget; soft: grace % over, then preemptible only.' }),
    gracePct: z.number().min(0).max(100).default(0),
    maxConcurrentGpus: z.number().int().min(0).max(1_000_000).optional().meta({ description: 'GPUs in use at once; absent = no cap.' }),
    mayBorrow: z.boolean().default(true).meta({ description: 'May run above its nominal share on idle GPUs.' }),
  })
  .meta({ id: 'AllocationAward', description: 'A national award of GPU-hours to an institution for a period.' });

/** PUT /v1/allocations/{id}/splits/{project}: an institution admin sets a project's share of the award. */
export const splitBodySchema = z
  .strictObject({
    gpuHours: gpuHours.meta({ description: 'The project’s GPU-hours (the splits of an award never sum to more than it).' }),
    maxConcurrentGpus: z.number().int().min(0).max(1_000_000).optional(),
  })
  .meta({ id: 'AllocationSplit', description: 'A project’s share of an institution award.' });

/** POST /v1/allocations/{id}/requests: more GPU-hours and/or a later period end, justified. */
export const changeRequestBodySchema = z
  .strictObject({
    gpuHours: z.number().finite().positive().max(1e9).optional().meta({ description: 'GPU-hours to add.' }),
    extendTo: when.optional().meta({ description: 'New end of the period (after the current end).' }),
    justification: storableText(4000, 1).meta({ description: 'Why; the national admin reads it.' }),
  })
  .refine((b) => b.gpuHours !== undefined || b.extendTo !== undefined, { message: 'ask for gpuHours, extendTo or both', path: ['gpuHours'] })
  .meta({ id: 'AllocationChangeRequest', description: 'A request for more GPU-hours or a later period end.' });

/** POST /v1/allocation-requests/{id}/approve. */
export const approveBodySchema = z.strictObject({ comment: storableText(4000).optional() }).meta({ id: 'ApproveRequest', description: 'An optional comment.' });
/** POST /v1/allocation-requests/{id}/reject: the comment says why. */
export const rejectBodySchema = z.strictObject({ comment: storableText(4000, 1) }).meta({ id: 'RejectRequest', description: 'Why the request is rejected.' });

/** An allocation as answered. */
export const allocationViewSchema = z
  .strictObject({
    id: z.string(),
    institution: z.string(),
    project: z.string().optional(),
    parent: z.string().optional().meta({ description: 'The award a project sub-allocation was split from.' }),
    periodStart: isoTime,
    periodEnd: isoTime,
    gpuHours: z.number(),
    kind: z.enum(['hard', 'soft']),
    gracePct: z.number(),
    maxConcurrentGpus: z.number().optional(),
    mayBorrow: z.boolean(),
  })
  .meta({ id: 'Allocation', description: 'An award to an institution, or a project’s share of one.' });

/** A change request as answered. */
export const requestViewSchema = z
  .strictObject({
    id: z.string(),
    allocation: z.string(),
    requestedBy: z.string(),
    requestedAt: isoTime,
    extraGpuHours: z.number(),
    extendTo: isoTime.optional(),
    justification: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    decidedBy: z.string().optional(),
    decidedAt: isoTime.optional(),
    comment: z.string().optional(),
  })
  .meta({ id: 'AllocationRequest', description: 'A change request and its decision.' });

/** A workflow step as answered. */
export const allocationEventSchema = z
  .strictObject({
    id: z.number(),
    at: isoTime,
    kind: z.enum(['awarded', 'split', 'requested', 'approved', 'rejected']),
    actor: z.string().optional(),
    request: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AllocationEvent', description: 'One step of the allocation workflow.' });

/** GET /v1/allocations/{id}. */
export const allocationDetailSchema = z
  .strictObject({
    allocation: allocationViewSchema,
    allocatedGpuHours: z.number().meta({ description: 'GPU-hours split to projects (awards only).' }),
    subAllocations: z.array(allocationViewSchema),
    requests: z.array(requestViewSchema),
    events: z.array(allocationEventSchema),
  })
  .meta({ id: 'AllocationDetail', description: 'An allocation with its project splits, change requests and timeline.' });

/** GET /v1/allocations. */
export const allocationListSchema = z.strictObject({ items: z.array(allocationViewSchema) }).meta({ id: 'AllocationList', description: 'Allocations.' });
/** GET /v1/allocation-requests and GET /v1/allocations/{id}/requests. */
export const requestListSchema = z.strictObject({ items: z.array(requestViewSchema) }).meta({ id: 'AllocationRequestList', description: 'Change requests, oldest first.' });
/** The answer to a split: the sub-allocation and the award's new total. */
export const splitAnswerSchema = z
  .strictObject({ award: allocationViewSchema, subAllocation: allocationViewSchema, allocatedGpuHours: z.number(), availableGpuHours: z.number() })
  .meta({ id: 'AllocationSplitResult', description: 'The project’s sub-allocation and what is left of the award.' });
/** The answer to a decision. */
export const decisionAnswerSchema = z.strictObject({ request: requestViewSchema, allocation: allocationViewSchema }).meta({ id: 'AllocationDecision', description: 'The decided request and the allocation after it.' });
