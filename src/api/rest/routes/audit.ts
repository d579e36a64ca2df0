/** GET /v1/audit: the audit log, newest first, filtered; JSON pages or CSV (`format=csv` / `Accept: text/csv`). */
import { Router } from 'express';
import { DomainError } from '../../../domain/errors.js';
import type { AuditService } from '../../../services/audit-service.js';
import { principalOf } from '../auth.js';
import { auditCsv, presentAudit } from '../present-audit.js';
import { onlyParams, pageParams, stringParam } from '../query.js';
import { timeParam } from './usage.js';

/** The audit route. */
export function auditRoutes(audit: AuditService): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    onlyParams(req.query, ['actor', 'action', 'targetKind', 'target', 'institution', 'from', 'to', 'limit', 'cursor', 'format']);
    const q = req.query;
    const format = stringParam(q, 'format');
    if (format !== undefined && format !== 'csv' && format !== 'json') throw DomainError.invalid(`format must be csv or json, got ${JSON.stringify(format.slice(0, 40))}`, [{ path: 'format', message: 'csv or json' }]);
    const csv = format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    const filter = Object.fromEntries(
      Object.entries({
        actorUserId: stringParam(q, 'actor'),
        action: stringParam(q, 'action'),
        targetKind: stringParam(q, 'targetKind'),
        targetId: stringParam(q, 'target'),
        institutionId: stringParam(q, 'institution'),
        from: timeParam(q, 'from'),
        to: timeParam(q, 'to'),
      }).filter(([, v]) => v !== undefined),
    );
    const page = await audit.list(principalOf(res), filter, pageParams(q));
    if (page.nextCursor) res.setHeader('x-next-cursor', page.nextCursor);
    if (csv) res.type('text/csv; charset=utf-8').send(auditCsv(page.items));
    else res.json({ items: page.items.map(presentAudit), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });
  return r;
}
