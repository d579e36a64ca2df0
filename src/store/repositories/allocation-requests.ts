/**
 * Allocation change requests (migration 0007): more GPU-hours and/or a later period end, with a
 * justification; decided once by a national admin. Deciding locks the request row, so two admins
 * deciding at once cannot both apply it: the second finds it no longer pending (a 409).
 */
import { DomainError } from '../../domain/errors.js';
import { withDbErrors } from '../db-errors.js';
import { newId } from '../ids.js';
import { date, ms, optMs, type Db } from '../rows.js';
import type { Row } from '../schema.js';

/** Where a request stands. */
export type RequestStatus = 'pending' | 'approved' | 'rejected';

/** A change request. */
export interface AllocationRequest {
  id: string;
  allocationId: string;
  requestedBy: string;
  requestedAt: number;
  /** GPU-hours to add (0 when only the period is extended). */
  extraGpuHours: number;
  /** New period end (epoch ms), when an extension is asked for. */
  extendTo?: number;
  justification: string;
  status: RequestStatus;
  decidedBy?: string;
  decidedAt?: number;
  comment?: string;
}

/** A request to file. */
export interface NewAllocationRequest {
  allocationId: string;
  requestedBy: string;
  extraGpuHours: number;
  extendTo?: number;
  justification: string;
}

function requestFromRow(r: Row<'allocation_requests'>): AllocationRequest {
  const q: AllocationRequest = {
    id: r.id,
    allocationId: r.allocation_id,
    requestedBy: r.requested_by,
    requestedAt: ms(r.requested_at),
    extraGpuHours: r.extra_gpu_hours,
    justification: r.justification,
    status: r.status,
  };
  const extendTo = optMs(r.extend_to);
  if (extendTo !== undefined) q.extendTo = extendTo;
  if (r.decided_by !== null) q.decidedBy = r.decided_by;
  const decidedAt = optMs(r.decided_at);
  if (decidedAt !== undefined) q.decidedAt = decidedAt;
  if (r.comment !== null) q.comment = r.comment;
  return q;
}

/** File a request (status pending). */
export async function insertAllocationRequest(db: Db, input: NewAllocationRequest, nowMs: number): Promise<AllocationRequest> {
  const row = await withDbErrors(() =>
    db
      .insertInto('allocation_requests')
      .values({
        id: newId('areq', nowMs),
        allocation_id: input.allocationId,
        requested_by: input.requestedBy,
        requested_at: date(nowMs),
        extra_gpu_hours: input.extraGpuHours,
        extend_to: input.extendTo === undefined ? null : date(input.extendTo),
        justification: input.justification,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return requestFromRow(row);
}

/** One request, or `not_found`; `forUpdate` locks it until the transaction ends. */
export async function getAllocationRequest(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<AllocationRequest> {
  let q = db.selectFrom('allocation_requests').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw DomainError.notFound('allocation request', id);
  return requestFromRow(row);
}

/** Filters of a request listing. */
export interface RequestFilter {
  allocationId?: string;
  /** Requests on allocations of this institution. */
  institutionId?: string;
  status?: RequestStatus;
}

/** Requests, oldest first (the order a national admin works through them). */
export async function listAllocationRequests(db: Db, filter: RequestFilter = {}, limit = 500): Promise<AllocationRequest[]> {
  let q = db.selectFrom('allocation_requests as r').selectAll('r').orderBy('r.requested_at').orderBy('r.id').limit(limit);
  if (filter.allocationId !== undefined) q = q.where('r.allocation_id', '=', filter.allocationId);
  if (filter.status !== undefined) q = q.where('r.status', '=', filter.status);
  const inst = filter.institutionId;
  if (inst !== undefined) {
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('allocations as a').select('a.id').whereRef('a.id', '=', 'r.allocation_id').where('a.institution_id', '=', inst)));
  }
  return (await q.execute()).map(requestFromRow);
}

/** Record the decision on a pending request (inside the transaction that locked it). */
export async function decideAllocationRequest(db: Db, id: string, decision: { status: 'approved' | 'rejected'; by: string; comment?: string }, nowMs: number): Promise<AllocationRequest> {
  const row = await db
    .updateTable('allocation_requests')
    .set({ status: decision.status, decided_by: decision.by, decided_at: date(nowMs), comment: decision.comment ?? null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new DomainError('conflict', `allocation request ${id} is no longer pending`, { requestId: id });
  return requestFromRow(row);
}
