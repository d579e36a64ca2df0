/**
 * `ncg.v1.AllocationService` (proto/ncg/v1/allocations.proto): the same AllocationService REST's
 * /v1/allocations and /v1/allocation-requests call. Requests are turned into the REST bodies (times in
 * ms become RFC 3339 text) so one zod schema validates both, and errors name the same fields.
 */
import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { Allocation } from '../../domain/types.js';
import type { AllocationService } from '../../services/allocation-service.js';
import type { AllocationEvent } from '../../store/repositories/allocation-events.js';
import type { AllocationRequest } from '../../store/repositories/allocation-requests.js';
import { unary, type CallContext, type Request } from './call.js';
import { filterId, text } from './request-fields.js';

/** What the allocation handlers need. */
export interface AllocationHandlerDeps extends CallContext {
  allocations: AllocationService;
}

/** An Allocation as an `ncg.v1.Allocation` message. */
export function allocationMessage(a: Allocation): Record<string, unknown> {
  return {
    id: a.id, institution: a.institutionId, project: a.projectId ?? '', parent: a.parentId ?? '', period_start_ms: a.periodStart, period_end_ms: a.periodEnd,
    gpu_hours: a.gpuHours, kind: a.kind, grace_pct: a.gracePct, may_borrow: a.mayBorrow, ...(a.maxConcurrentGpus !== undefined ? { max_concurrent_gpus: a.maxConcurrentGpus } : {}),
  };
}

function requestMessage(r: AllocationRequest): Record<string, unknown> {
  return {
    id: r.id, allocation: r.allocationId, requested_by: r.requestedBy, requested_at_ms: r.requestedAt, extra_gpu_hours: r.extraGpuHours, justification: r.justification,
    status: r.status, decided_by: r.decidedBy ?? '', comment: r.comment ?? '',
    ...(r.extendTo !== undefined ? { extend_to_ms: r.extendTo } : {}), ...(r.decidedAt !== undefined ? { decided_at_ms: r.decidedAt } : {}),
  };
}

const eventMessage = (e: AllocationEvent) => ({ id: e.id, at_ms: e.at, kind: e.kind, actor: e.actorUserId ?? '', request: e.requestId ?? '', data_json: JSON.stringify(e.data) });

/** A required id field, as REST's path parameter would be. */
function required(r: Request, field: string): string {
  const v = filterId(r, field);
  if (v === undefined) throw DomainError.invalid(`${field} is required`, [{ path: field, message: 'required' }]);
  return v;
}

const iso = (v: unknown) => (typeof v === 'number' ? new Date(v).toISOString() : undefined);
/** Fields that are set (proto3 leaves optional ones out and gives "" for unset strings). */
const present = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/** The AllocationService implementation for grpc-js. */
export function allocationHandlers(deps: AllocationHandlerDeps): grpc.UntypedServiceImplementation {
  const svc = deps.allocations;
  return {
    List: unary(deps, 'AllocationService.List', 'ncg.v1.ListAllocationsRequest', async (p, r) => {
      const items = await svc.list(p, present({ institutionId: filterId(r, 'institution'), period: text(r.period), awardsOnly: r.awards_only === true ? true : undefined }));
      return { items: items.map(allocationMessage) };
    }),
    Get: unary(deps, 'AllocationService.Get', 'ncg.v1.GetAllocationRequest', async (p, r) => {
      const d = await svc.get(p, required(r, 'id'));
      return { allocation: allocationMessage(d.allocation), allocated_gpu_hours: d.allocatedGpuHours, sub_allocations: d.subAllocations.map(allocationMessage), requests: d.requests.map(requestMessage), events: d.events.map(eventMessage) };
    }),
    Award: unary(deps, 'AllocationService.Award', 'ncg.v1.AwardRequest', async (p, r) => {
      const body = present({
        id: text(r.id), institution: text(r.institution) ?? '', period: text(r.period), periodStart: iso(r.period_start_ms), periodEnd: iso(r.period_end_ms),
        gpuHours: r.gpu_hours, kind: text(r.kind), gracePct: r.grace_pct, maxConcurrentGpus: r.max_concurrent_gpus, mayBorrow: r.may_borrow,
      });
      return allocationMessage(await svc.award(p, body));
    }),
    Split: unary(deps, 'AllocationService.Split', 'ncg.v1.SplitRequest', async (p, r) => {
      const result = await svc.split(p, required(r, 'allocation'), required(r, 'project'), present({ gpuHours: r.gpu_hours, maxConcurrentGpus: r.max_concurrent_gpus }));
      return { award: allocationMessage(result.award), sub_allocation: allocationMessage(result.after), allocated_gpu_hours: result.allocatedGpuHours, available_gpu_hours: Math.max(0, result.award.gpuHours - result.allocatedGpuHours) };
    }),
    RequestChange: unary(deps, 'AllocationService.RequestChange', 'ncg.v1.RequestChangeRequest', async (p, r) => {
      const body = present({ gpuHours: r.gpu_hours, extendTo: iso(r.extend_to_ms), justification: text(r.justification) });
      return requestMessage(await svc.requests.file(p, required(r, 'allocation'), body));
    }),
    ListChangeRequests: unary(deps, 'AllocationService.ListChangeRequests', 'ncg.v1.ListChangeRequestsRequest', async (p, r) => {
      const items = await svc.requests.list(p, present({ allocationId: filterId(r, 'allocation'), institutionId: filterId(r, 'institution'), status: text(r.status) }));
      return { items: items.map(requestMessage) };
    }),
    Approve: unary(deps, 'AllocationService.Approve', 'ncg.v1.DecideRequest', async (p, r) => {
      const d = await svc.requests.approve(p, required(r, 'id'), present({ comment: text(r.comment) }));
      return { request: requestMessage(d.request), allocation: allocationMessage(d.allocation) };
    }),
    Reject: unary(deps, 'AllocationService.Reject', 'ncg.v1.DecideRequest', async (p, r) => {
      const d = await svc.requests.reject(p, required(r, 'id'), present({ comment: text(r.comment) }));
      return { request: requestMessage(d.request), allocation: allocationMessage(d.allocation) };
    }),
  };
}
