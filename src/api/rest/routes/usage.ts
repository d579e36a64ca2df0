/**
 * Usage endpoints: GET /v1/usage (JSON, or CSV with `Accept: text/csv` or `format=csv`),
 * GET /v1/allocations/{id}/usage (budget state) and GET /v1/metering/discrepancies. Thin: parse, call the
 * UsageService (which validates and authorises), present.
 */
import { Router, type Request } from 'express';
import { DomainError } from '../../../domain/errors.js';
import type { DiscrepancyKind } from '../../../store/repositories/metering-discrepancies.js';
import type { UsageService } from '../../../services/usage-service.js';
import { principalOf } from '../auth.js';
import { presentAllocationUsage, presentDiscrepancy, presentUsage, usageCsv } from '../present-usage.js';
import { onlyParams, pageParams, stringParam } from '../query.js';

/** An instant from `YYYY-MM-DD` (UTC midnight) or an RFC 3339 date-time; 400 naming the parameter otherwise. */
export function timeParam(query: Record<string, unknown>, name: string): number | undefined {
  const v = stringParam(query, name);
  if (v === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = dateOnly ? Date.parse(`${v}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) {
    throw DomainError.invalid(`query parameter ${name} must be a date (2026-10-01) or an RFC 3339 time (2026-10-01T12:00:00Z), got ${JSON.stringify(v.slice(0, 60))}`, [{ path: name, message: 'not a date' }]);
  }
  return t;
}

function wantsCsv(req: Request): boolean {
  const format = stringParam(req.query, 'format');
  if (format !== undefined && format !== 'csv' && format !== 'json') throw DomainError.invalid(`format must be csv or json, got ${JSON.stringify(format)}`, [{ path: 'format', message: 'csv or json' }]);
  if (format !== undefined) return format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/** Usage, allocation budget state and metering discrepancies. */
export function usageRoutes(usage: UsageService): Router {
  const r = Router();

  r.get('/usage', async (req, res) => {
    onlyParams(req.query, ['institution', 'project', 'user', 'cluster', 'from', 'to', 'groupBy', 'format']);
    const q = req.query;
    const csv = wantsCsv(req);
    const answer = await usage.usage(principalOf(res), {
      institutionId: stringParam(q, 'institution'), projectId: stringParam(q, 'project'), userId: stringParam(q, 'user'), clusterId: stringParam(q, 'cluster'),
      from: timeParam(q, 'from'), to: timeParam(q, 'to'), groupBy: stringParam(q, 'groupBy'),
    });
    if (csv) res.type('text/csv; charset=utf-8').send(usageCsv(answer));
    else res.json(presentUsage(answer));
  });

  r.get('/allocations/:id/usage', async (req, res) => {
    onlyParams(req.query, []);
    res.json(presentAllocationUsage(await usage.allocation(principalOf(res), String(req.params.id))));
  });

  r.get('/metering/discrepancies', async (req, res) => {
    onlyParams(req.query, ['cluster', 'kind', 'from', 'to', 'limit', 'cursor']);
    const kind = stringParam(req.query, 'kind');
    if (kind !== undefined && kind !== 'unknown-job' && kind !== 'ended-job') {
      throw DomainError.invalid(`kind must be unknown-job or ended-job, got ${JSON.stringify(kind)}`, [{ path: 'kind', message: 'unknown kind' }]);
    }
    const cluster = stringParam(req.query, 'cluster');
    const [from, to] = [timeParam(req.query, 'from'), timeParam(req.query, 'to')];
    const page = await usage.discrepancies(
      principalOf(res),
      { ...(cluster ? { clusterId: cluster } : {}), ...(kind ? { kind: kind as DiscrepancyKind } : {}), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) },
      pageParams(req.query),
    );
    res.json({ items: page.items.map(presentDiscrepancy), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });

  return r;
}
