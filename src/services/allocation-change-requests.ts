/**
 * Change requests on an award: an institution admin (or a national admin) asks for more GPU-hours and/or
 * a later period end with a justification; a national admin approves — the change is applied to the
 * award in the same transaction, so the scheduler's budgets see it from the next cycle — or rejects with
 * a comment. Each step is an allocation event the requester sees, and an audit row.
 */
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Allocation } from '../domain/types.js';
import { approveBodySchema, changeRequestBodySchema, rejectBodySchema } from '../api/schemas/allocations.js';
import { parseOrInvalid } from '../api/schemas/zod-issues.js';
import { getAllocation } from '../store/repositories/allocations.js';
import { applyAllocationChange } from '../store/repositories/allocation-changes.js';
import { appendAllocationEvent } from '../store/repositories/allocation-events.js';
import {
  decideAllocationRequest,
  getAllocationRequest,
  insertAllocationRequest,
  listAllocationRequests,
  type AllocationRequest,
  type RequestStatus,
} from '../store/repositories/allocation-requests.js';
import { lockAward } from '../store/repositories/allocation-splits.js';
import type { Db } from '../store/rows.js';
import { assertAllocationInScope, coversInstitution, scopeInstitution } from './allocation-access.js';
import { instantOrInvalid } from './period-input.js';
import { recordAudit } from './audit.js';

/** A decided request and the allocation after the decision. */
export interface Decision {
  request: AllocationRequest;
  allocation: Allocation;
}

const STATUSES: readonly RequestStatus[] = ['pending', 'approved', 'rejected'];

/** Filing, listing and deciding change requests. */
export class ChangeRequests {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** File a request on an award of the caller's institution (another institution's answers 404). */
  async file(p: Principal, allocationId: string, body: unknown): Promise<AllocationRequest> {
    // Scope before the body: another institution's allocation is a 404 whatever was sent.
    const allocation = await getAllocation(this.db, allocationId);
    assertAllocationInScope(p, allocation);
    const input = parseOrInvalid(changeRequestBodySchema, body, 'allocation change request');
    if (allocation.projectId !== undefined) {
      throw new DomainError('unprocessable', `allocation ${allocationId} is a project's share of award ${allocation.parentId ?? '(unknown)'}; request the change on the award, then re-split it`, { allocationId });
    }
    const extendTo = input.extendTo === undefined ? undefined : instantOrInvalid(input.extendTo, 'extendTo');
    if (extendTo !== undefined && extendTo <= allocation.periodEnd) {
      throw DomainError.invalid(`extendTo must be after the current period end ${new Date(allocation.periodEnd).toISOString()}`, [{ path: 'extendTo', message: 'not after the current end' }]);
    }
    return this.db.transaction().execute(async (tx) => {
      const request = await insertAllocationRequest(tx, { allocationId, requestedBy: p.userId, extraGpuHours: input.gpuHours ?? 0, justification: input.justification, ...(extendTo !== undefined ? { extendTo } : {}) }, this.now());
      await appendAllocationEvent(tx, { allocationId, requestId: request.id, actorUserId: p.userId, kind: 'requested', data: changeData(request) });
      await recordAudit(tx, p, { action: 'allocation.request', target: { kind: 'allocation-request', id: request.id }, institutionId: allocation.institutionId, after: request, data: { allocation: allocationId } });
      return request;
    });
  }

  /** Requests the caller may see, oldest first; `status` pending, approved or rejected. */
  async list(p: Principal, filter: { allocationId?: string; institutionId?: string; status?: string } = {}): Promise<AllocationRequest[]> {
    if (filter.status !== undefined && !(STATUSES as readonly string[]).includes(filter.status)) {
      throw DomainError.invalid(`status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(filter.status.slice(0, 40))}`, [{ path: 'status', message: 'unknown status' }]);
    }
    if (filter.allocationId !== undefined) assertAllocationInScope(p, await getAllocation(this.db, filter.allocationId));
    const institutionId = scopeInstitution(p, filter.institutionId);
    return listAllocationRequests(this.db, {
      ...(filter.allocationId !== undefined ? { allocationId: filter.allocationId } : {}),
      ...(institutionId !== undefined ? { institutionId } : {}),
      ...(filter.status !== undefined ? { status: filter.status as RequestStatus } : {}),
    });
  }

  /** One request; another institution's answers 404. */
  async get(p: Principal, id: string): Promise<AllocationRequest> {
    const request = await getAllocationRequest(this.db, id);
    const allocation = await getAllocation(this.db, request.allocationId);
    if (!coversInstitution(p, allocation.institutionId)) throw DomainError.notFound('allocation request', id);
    return request;
  }

  /** Approve: apply the change to the award and record the decision, atomically. */
  async approve(p: Principal, id: string, body: unknown): Promise<Decision> {
    const input = parseOrInvalid(approveBodySchema, body ?? {}, 'approval');
    return this.decide(p, id, 'approved', input.comment);
  }

  /** Reject with a comment that says why. */
  async reject(p: Principal, id: string, body: unknown): Promise<Decision> {
    const input = parseOrInvalid(rejectBodySchema, body, 'rejection');
    return this.decide(p, id, 'rejected', input.comment);
  }

  private async decide(p: Principal, id: string, status: 'approved' | 'rejected', comment: string | undefined): Promise<Decision> {
    return this.db.transaction().execute(async (tx) => {
      // The request first, then the award: every writer of both takes the locks in this order.
      const pending = await getAllocationRequest(tx, id, { forUpdate: true });
      if (pending.status !== 'pending') throw new DomainError('conflict', `allocation request ${id} was already ${pending.status}${pending.decidedBy ? ` by ${pending.decidedBy}` : ''}`, { requestId: id, status: pending.status });
      const before = await lockAward(tx, pending.allocationId);
      const after = status === 'approved' ? await applyAllocationChange(tx, before, { extraGpuHours: pending.extraGpuHours, ...(pending.extendTo !== undefined ? { extendTo: pending.extendTo } : {}) }) : before;
      const request = await decideAllocationRequest(tx, id, { status, by: p.userId, ...(comment !== undefined ? { comment } : {}) }, this.now());
      const data = { ...changeData(request), ...(comment !== undefined ? { comment } : {}), ...(status === 'approved' ? { gpuHoursBefore: before.gpuHours, gpuHoursAfter: after.gpuHours, periodEndBefore: iso(before.periodEnd), periodEndAfter: iso(after.periodEnd) } : {}) };
      await appendAllocationEvent(tx, { allocationId: before.id, requestId: id, actorUserId: p.userId, kind: status, data });
      await recordAudit(tx, p, {
        action: status === 'approved' ? 'allocation.approve' : 'allocation.reject',
        target: { kind: 'allocation-request', id },
        institutionId: before.institutionId,
        before: status === 'approved' ? before : pending,
        after: status === 'approved' ? after : request,
        data: { allocation: before.id, ...(comment !== undefined ? { comment } : {}) },
      });
      return { request, allocation: after };
    });
  }
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function changeData(r: AllocationRequest): Record<string, unknown> {
  return { extraGpuHours: r.extraGpuHours, ...(r.extendTo !== undefined ? { extendTo: iso(r.extendTo) } : {}), justification: r.justification };
}
