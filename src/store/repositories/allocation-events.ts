/**
 * Allocation events (migration 0007, append-only): each step of the allocation workflow — awarded, split,
 * requested, approved, rejected — in the order it happened. The requester reads them as the timeline of
 * their award; they are written in the transaction of the step itself.
 */
import { json, ms, type Db } from '../rows.js';
import type { Row } from '../schema.js';

/** Kinds of step. */
export type AllocationEventKind = Row<'allocation_events'>['kind'];

/** One step. */
export interface AllocationEvent {
  id: number;
  allocationId: string;
  requestId?: string;
  /** Epoch ms. */
  at: number;
  actorUserId?: string;
  kind: AllocationEventKind;
  data: Record<string, unknown>;
}

/** A step to append. */
export interface NewAllocationEvent {
  allocationId: string;
  requestId?: string;
  actorUserId?: string;
  kind: AllocationEventKind;
  data?: Record<string, unknown>;
}

function eventFromRow(r: Row<'allocation_events'>): AllocationEvent {
  const e: AllocationEvent = { id: r.id, allocationId: r.allocation_id, at: ms(r.at), kind: r.kind, data: r.data };
  if (r.request_id !== null) e.requestId = r.request_id;
  if (r.actor_user_id !== null) e.actorUserId = r.actor_user_id;
  return e;
}

/** Append one step (pass the step's transaction). */
export async function appendAllocationEvent(db: Db, e: NewAllocationEvent): Promise<AllocationEvent> {
  const row = await db
    .insertInto('allocation_events')
    .values({ allocation_id: e.allocationId, request_id: e.requestId ?? null, actor_user_id: e.actorUserId ?? null, kind: e.kind, data: json(e.data ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return eventFromRow(row);
}

/** Steps of an allocation (and of its sub-allocations' splits, which are recorded on the award), oldest first. */
export async function listAllocationEvents(db: Db, allocationId: string): Promise<AllocationEvent[]> {
  const rows = await db.selectFrom('allocation_events').selectAll().where('allocation_id', '=', allocationId).orderBy('id').execute();
  return rows.map(eventFromRow);
}
