/**
 * KPI and report endpoints: GET /v1/kpis (JSON, or CSV with `Accept: text/csv` or `format=csv`),
 * GET /v1/reports/pillar5 (JSON, CSV or printable HTML), GET /v1/reports/snapshots (re-verified) and
 * /v1/reports/snapshots/{period}, and the dashboard pages' data under /v1/dashboard. Thin: parse,
 * call the report service, render.
 */
import { Router, type Request } from 'express';
import { DomainError } from '../../../domain/errors.js';
import type { DashboardViews } from '../../../reports/dashboard-views.js';
import { kpiCsv, pillar5Csv } from '../../../reports/render/csv.js';
import { pillar5Html } from '../../../reports/render/pillar5-html.js';
import type { ReportService } from '../../../reports/report-service.js';
import { principalOf } from '../auth.js';
import { onlyParams, stringParam } from '../query.js';

/** What the routes need (main.ts: the running reports). */
export interface ReportRouteDeps {
  service: ReportService;
  views: DashboardViews;
}

type Format = 'json' | 'csv' | 'html';

function formatOf(req: Request, allowed: readonly Format[]): Format {
  const given = stringParam(req.query, 'format');
  if (given !== undefined) {
    if (!(allowed as readonly string[]).includes(given)) throw DomainError.invalid(`format must be ${allowed.join(' or ')}, got ${JSON.stringify(given.slice(0, 20))}`, [{ path: 'format', message: `one of ${allowed.join(', ')}` }]);
    return given as Format;
  }
  const types: Record<Format, string> = { json: 'application/json', csv: 'text/csv', html: 'text/html' };
  const best = req.accepts(allowed.map((f) => types[f]));
  return (allowed.find((f) => types[f] === best) ?? 'json');
}

const periodQuery = (req: Request) => ({ period: stringParam(req.query, 'period'), from: stringParam(req.query, 'from'), to: stringParam(req.query, 'to') });
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The report routes. */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const r = Router();
  const need = (): ReportRouteDeps => deps;

  r.get('/kpis', async (req, res) => {
    onlyParams(req.query, ['period', 'from', 'to', 'groupBy', 'format']);
    const format = formatOf(req, ['json', 'csv']);
    const report = await need().service.kpis(principalOf(res), compact({ ...periodQuery(req), groupBy: stringParam(req.query, 'groupBy') }));
    if (format === 'csv') res.type('text/csv; charset=utf-8').attachment(`ncg-kpis-${report.period.name.replace('/', '_')}-${report.groupBy}.csv`).send(kpiCsv(report));
    else res.json(report);
  });

  r.get('/reports/pillar5', async (req, res) => {
    onlyParams(req.query, ['period', 'from', 'to', 'format']);
    principalOf(res);
    const format = formatOf(req, ['json', 'csv', 'html']);
    const doc = await need().service.pillar5(compact(periodQuery(req)));
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(pillar5Csv(doc));
    else if (format === 'html') {
      res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
      res.type('html').send(pillar5Html(doc));
    } else res.json(doc);
  });

  r.get('/reports/snapshots', async (req, res) => {
    onlyParams(req.query, []);
    principalOf(res);
    res.json({ items: await need().service.snapshots() });
  });

  r.get('/reports/snapshots/:period', async (req, res) => {
    onlyParams(req.query, []);
    principalOf(res);
    res.json(await need().service.snapshot(String(req.params.period)));
  });

  r.get('/dashboard/me', (req, res) => {
    onlyParams(req.query, []);
    const p = principalOf(res);
    res.json({ userId: p.userId, institutionId: p.institutionId, roles: p.roles, operatorSiteIds: p.operatorSiteIds });
  });

  r.get('/dashboard/overview', async (req, res) => {
    onlyParams(req.query, []);
    principalOf(res);
    res.json(await need().views.overview());
  });

  r.get('/dashboard/institutions/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json(await need().views.institution(principalOf(res), String(req.params.id)));
  });

  r.get('/dashboard/clusters/:id', async (req, res) => {
    onlyParams(req.query, []);
    principalOf(res);
    res.json(await need().views.cluster(String(req.params.id)));
  });

  return r;
}
