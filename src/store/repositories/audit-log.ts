/**
 * The audit log (append-only, migration 0003; who/where/before/after columns from 0007): one row per
 * mutating action. Rows are appended inside the transaction of the change they describe, so a change and
 * its audit row commit together or not at all. Reading is newest first with a keyset cursor on the id.
 */
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../cursor.js';
import { date, json, ms, type Db } from '../rows.js';
import type { NewRow, Row } from '../schema.js';

/** One action to record. */
export interface AuditRecord {
  /** Who: the acting user (absent for the system itself). */
  actorUserId?: string;
  /** The API token that authenticated the request. */
  tokenId?: string;
  /** Where from: the client's address as the server saw it. */
  clientAddress?: string;
  /** The institution the action concerns (institution admins read their institution's entries). */
  institutionId?: string;
  /** What: a dotted verb, e.g. `allocation.award`, `project.member.add`, `cluster.drain`. */
  action: string;
  targetKind: string;
  targetId: string;
  /** Values before and after the change (absent for creations / deletions respectively). */
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping (a comment, a justification). */
  data?: Record<string, unknown>;
}

/** A recorded entry. */
export interface AuditEntry extends AuditRecord {
  id: number;
  /** When, epoch ms (the database's clock). */
  at: number;
}

/** Filters of an audit query, combined with AND. */
export interface AuditFilter {
  actorUserId?: string;
  /** An exact action, or a prefix without a dot (`allocation` matches `allocation.award`, …). */
  action?: string;
  targetKind?: string;
  targetId?: string;
  institutionId?: string;
  /** At or after (epoch ms). */
  from?: number;
  /** Before (epoch ms). */
  to?: number;
}

/** The row for a record. */
export function auditRow(r: AuditRecord): NewRow<'audit_log'> {
  return {
    actor_user_id: r.actorUserId ?? null,
    token_id: r.tokenId ?? null,
    client_address: r.clientAddress ?? null,
    institution_id: r.institutionId ?? null,
    action: r.action,
    target_kind: r.targetKind,
    target_id: r.targetId,
    before: r.before === undefined ? null : json(r.before),
    after: r.after === undefined ? null : json(r.after),
    data: json(r.data ?? {}),
  };
}

/** Append records (in one statement); pass the transaction of the change they describe. */
export async function appendAudit(db: Db, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.insertInto('audit_log').values(records.map(auditRow)).execute();
}

function entryFromRow(r: Row<'audit_log'>): AuditEntry {
  const e: AuditEntry = { id: r.id, at: ms(r.at), action: r.action, targetKind: r.target_kind ?? '', targetId: r.target_id ?? '' };
  if (r.actor_user_id !== null) e.actorUserId = r.actor_user_id;
  if (r.token_id !== null) e.tokenId = r.token_id;
  if (r.client_address !== null) e.clientAddress = r.client_address;
  if (r.institution_id !== null) e.institutionId = r.institution_id;
  if (r.before !== null) e.before = r.before;
  if (r.after !== null) e.after = r.after;
  if (Object.keys(r.data).length > 0) e.data = r.data;
  return e;
}

function cursorId(cursor: string): number {
  const id = decodeCursor(cursor);
  if (!/^\d{1,15}$/.test(id)) throw DomainError.invalid('cursor is not one this server issued; pass nextCursor from the previous page unchanged', [{ path: 'cursor', message: 'malformed cursor' }]);
  return Number(id);
}

/** A page of entries, newest first. */
export async function listAudit(db: Db, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(page.limit + 1);
  if (page.cursor !== undefined) q = q.where('id', '<', cursorId(page.cursor));
  if (filter.actorUserId !== undefined) q = q.where('actor_user_id', '=', filter.actorUserId);
  if (filter.institutionId !== undefined) q = q.where('institution_id', '=', filter.institutionId);
  if (filter.targetKind !== undefined) q = q.where('target_kind', '=', filter.targetKind);
  if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
  if (filter.from !== undefined) q = q.where('at', '>=', date(filter.from));
  if (filter.to !== undefined) q = q.where('at', '<', date(filter.to));
  const action = filter.action;
  if (action !== undefined) {
    // `like` with the prefix escaped: an action never contains % or _, but a caller's filter might.
    const prefix = `${action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
    q = action.includes('.') ? q.where('action', '=', action) : q.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', sql<string>`${prefix}`)]));
  }
  const rows = await q.execute();
  const items = rows.slice(0, page.limit);
  const out: Page<AuditEntry> = { items: items.map(entryFromRow) };
  const last = items[items.length - 1];
  if (rows.length > page.limit && last) out.nextCursor = encodeCursor(String(last.id));
  return out;
}
