/** The express application: probes, metrics, authenticated /v1 routes, JSON errors. */
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../../observability/logger.js';
import type { InventoryService } from '../../services/inventory-service.js';
import type { JobService } from '../../services/job-service.js';
import type { UsageService } from '../../services/usage-service.js';
import { requireBearer, type TokenResolver } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes, type Readiness } from './routes/health.js';
import { institutionRoutes, type InstitutionReader } from './routes/institutions.js';
import { inventoryRoutes } from './routes/inventory.js';
import { jobRoutes } from './routes/jobs.js';
import { usageRoutes } from './routes/usage.js';
import { reportRoutes, type ReportRouteDeps } from './routes/reports.js';
import { dashboardStatic } from '../../dashboard/serve.js';

/** Everything the REST layer needs; main.ts provides it. */
export interface RestDeps {
  log: Logger;
  metrics: Registry;
  bodyLimitBytes: number;
  readiness: () => Promise<Readiness>;
  resolveToken: TokenResolver;
  inventory: InventoryService;
  institutions: InstitutionReader;
  jobs: JobService;
  /** Usage, budgets and metering discrepancies (issue 7); absent in servers built without them. */
  usage?: UsageService;
  /** KPIs, reports, snapshots and the dashboard's data (issue 10); absent in servers built without them. */
  reports?: ReportRouteDeps;
}

/** Build the express app (not listening). */
export function createApp(deps: RestDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: deps.bodyLimitBytes }));
  app.use(healthRoutes(deps));
  app.use(docsRoutes());
  // The dashboard's static files (no token: the page signs in with one and calls /v1).
  if (deps.reports) app.use(dashboardStatic());

  const v1 = express.Router();
  v1.use(requireBearer(deps.resolveToken));
  v1.use(inventoryRoutes(deps.inventory));
  v1.use(institutionRoutes(deps.institutions));
  v1.use(jobRoutes(deps.jobs));
  if (deps.usage) v1.use(usageRoutes(deps.usage));
  if (deps.reports) v1.use(reportRoutes(deps.reports));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
