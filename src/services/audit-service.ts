/**
 * Reading the audit log: national admins see every entry; institution admins the entries concerning
 * their institution (asking for another institution is a 403 that says so). Roles are the authorisation
 * table's business; this narrows the filter to the caller's scope.
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';
import { checkLimit, type Page, type PageRequest } from '../store/cursor.js';
import { listAudit, type AuditEntry, type AuditFilter } from '../store/repositories/audit-log.js';
import type { Db } from '../store/rows.js';

/** Audit queries on behalf of a principal. */
export class AuditService {
  constructor(private readonly db: Db) {}

  /** A page of entries, newest first, within the caller's scope. */
  async list(p: Principal, filter: AuditFilter, page: PageRequest = {}): Promise<Page<AuditEntry>> {
    if (filter.from !== undefined && filter.to !== undefined && !(filter.to > filter.from)) {
      throw DomainError.invalid('to must be after from', [{ path: 'to', message: 'not after from' }]);
    }
    return listAudit(this.db, scope(p, filter), { limit: checkLimit(page.limit), ...(page.cursor !== undefined ? { cursor: page.cursor } : {}) });
  }
}

function scope(p: Principal, filter: AuditFilter): AuditFilter {
  if (hasRole(p, 'national-admin')) return filter;
  if (filter.institutionId !== undefined && filter.institutionId !== p.institutionId) {
    throw new DomainError('forbidden', `you may see audit entries of your own institution (${p.institutionId}) only`, { institutionId: filter.institutionId });
  }
  return { ...filter, institutionId: p.institutionId };
}
