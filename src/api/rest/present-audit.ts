/** Audit entries as JSON and CSV (GET /v1/audit). */
import type { AuditEntry } from '../../store/repositories/audit-log.js';

/** An entry as answered (src/api/schemas/audit.ts). */
export function presentAudit(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    ...(e.actorUserId !== undefined ? { actor: e.actorUserId } : {}),
    ...(e.tokenId !== undefined ? { token: e.tokenId } : {}),
    ...(e.clientAddress !== undefined ? { address: e.clientAddress } : {}),
    ...(e.institutionId !== undefined ? { institution: e.institutionId } : {}),
    action: e.action,
    targetKind: e.targetKind,
    targetId: e.targetId,
    ...(e.before !== undefined ? { before: e.before } : {}),
    ...(e.after !== undefined ? { after: e.after } : {}),
    ...(e.data !== undefined ? { data: e.data } : {}),
  };
}

/**
 * One CSV field. Quoted when needed; text a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with ' — justifications and comments are user-written and end up in admins' spreadsheets.
 */
function field(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));

/** Entries as CSV (RFC 4180, header row; before/after/data as JSON text). */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const header = ['id', 'at', 'actor', 'token', 'address', 'institution', 'action', 'target_kind', 'target_id', 'before', 'after', 'data'];
  const rows = entries.map((e) =>
    [e.id, new Date(e.at).toISOString(), e.actorUserId, e.tokenId, e.clientAddress, e.institutionId, e.action, e.targetKind, e.targetId, json(e.before), json(e.after), json(e.data)].map(field).join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
