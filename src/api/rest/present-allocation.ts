/** Allocations, change requests and workflow events as JSON (src/api/schemas/allocations.ts documents the shapes). */
import type { Allocation } from '../../domain/types.js';
import type { AllocationEvent } from '../../store/repositories/allocation-events.js';
import type { AllocationRequest } from '../../store/repositories/allocation-requests.js';
import type { AllocationDetail } from '../../services/allocation-service.js';

const iso = (t: number) => new Date(t).toISOString();

/** An allocation as answered. */
export function presentAllocation(a: Allocation): Record<string, unknown> {
  return {
    id: a.id,
    institution: a.institutionId,
    ...(a.projectId !== undefined ? { project: a.projectId } : {}),
    ...(a.parentId !== undefined ? { parent: a.parentId } : {}),
    periodStart: iso(a.periodStart),
    periodEnd: iso(a.periodEnd),
    gpuHours: a.gpuHours,
    kind: a.kind,
    gracePct: a.gracePct,
    ...(a.maxConcurrentGpus !== undefined ? { maxConcurrentGpus: a.maxConcurrentGpus } : {}),
    mayBorrow: a.mayBorrow,
  };
}

/** A change request as answered. */
export function presentRequest(r: AllocationRequest): Record<string, unknown> {
  return {
    id: r.id,
    allocation: r.allocationId,
    requestedBy: r.requestedBy,
    requestedAt: iso(r.requestedAt),
    extraGpuHours: r.extraGpuHours,
    ...(r.extendTo !== undefined ? { extendTo: iso(r.extendTo) } : {}),
    justification: r.justification,
    status: r.status,
    ...(r.decidedBy !== undefined ? { decidedBy: r.decidedBy } : {}),
    ...(r.decidedAt !== undefined ? { decidedAt: iso(r.decidedAt) } : {}),
    ...(r.comment !== undefined ? { comment: r.comment } : {}),
  };
}

/** A workflow step as answered. */
export function presentAllocationEvent(e: AllocationEvent): Record<string, unknown> {
  return { id: e.id, at: iso(e.at), kind: e.kind, ...(e.actorUserId !== undefined ? { actor: e.actorUserId } : {}), ...(e.requestId !== undefined ? { request: e.requestId } : {}), data: e.data };
}

/** GET /v1/allocations/{id}. */
export function presentAllocationDetail(d: AllocationDetail): Record<string, unknown> {
  return {
    allocation: presentAllocation(d.allocation),
    allocatedGpuHours: d.allocatedGpuHours,
    subAllocations: d.subAllocations.map(presentAllocation),
    requests: d.requests.map(presentRequest),
    events: d.events.map(presentAllocationEvent),
  };
}
