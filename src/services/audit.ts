/**
 * The one audit recorder every service uses for its mutations: who (principal and token), from where
 * (client address), what (action, target), and the values before and after. Call it with the transaction
 * of the change, so the change and its record commit together.
 *
 * Part A's token create/revoke should call `recordAudit(tx, principal, { action: 'token.create' | 'token.revoke',
 * target: { kind: 'api-token', id }, institutionId, after | before })` the same way. Job submissions are
 * audited inside the submit batcher's single statement (src/store/repositories/job-intake.ts), not here:
 * a separate round trip per submit would halve the submit rate.
 */
import type { Principal } from '../domain/principal.js';
import { appendAudit, type AuditRecord } from '../store/repositories/audit-log.js';
import type { Db } from '../store/rows.js';

/** What a mutation reports. */
export interface AuditAction {
  /** Dotted verb: `allocation.award`, `allocation.split`, `project.member.remove`, `cluster.drain`, … */
  action: string;
  target: { kind: string; id: string };
  /** The institution concerned, so its admins see the entry. */
  institutionId?: string;
  before?: unknown;
  after?: unknown;
  data?: Record<string, unknown>;
}

/** The audit record of `action` done by `p`. */
export function auditRecordOf(p: Principal, action: AuditAction): AuditRecord {
  const r: AuditRecord = { actorUserId: p.userId, action: action.action, targetKind: action.target.kind, targetId: action.target.id };
  if (p.tokenId !== undefined) r.tokenId = p.tokenId;
  if (p.address !== undefined) r.clientAddress = p.address;
  if (action.institutionId !== undefined) r.institutionId = action.institutionId;
  if (action.before !== undefined) r.before = action.before;
  if (action.after !== undefined) r.after = action.after;
  if (action.data !== undefined) r.data = action.data;
  return r;
}

/** Append one audit row for `action` by `p` (pass the change's transaction as `db`). */
export async function recordAudit(db: Db, p: Principal, action: AuditAction): Promise<void> {
  await appendAudit(db, [auditRecordOf(p, action)]);
}
