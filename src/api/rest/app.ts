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
import { tokenRoutes } from './routes/tokens.js';
import { meRoutes } from './routes/me.js';
import type { Principal } from '../../domain/principal.js';
import type { Me } from '../../services/whoami.js';
import type { TokenService } from '../../services/token-service.js';
import type { AllocationService } from '../../services/allocation-service.js';
import type { ProjectService } from '../../services/project-service.js';
import type { ClusterOperations } from '../../services/cluster-operations.js';
import type { AuditService } from '../../services/audit-service.js';
import { allocationRoutes } from './routes/allocations.js';
import { projectRoutes } from './routes/projects.js';
import { clusterActionRoutes } from './routes/cluster-actions.js';
import { auditRoutes } from './routes/audit.js';
import { restRules } from '../authz/rules.js';
import { RestRuleTable } from '../authz/rest-table.js';
import { authorizeRest } from '../authz/rest-middleware.js';
import { assertEveryRouteHasRule } from '../authz/rest-routes.js';
import type { ScopeLookups } from '../authz/decide.js';
import type { AccessTable } from '../authz/rule.js';
import { RateLimiter } from '../security/rate-limits.js';
import { defaultRateLimits, type TrustProxy } from '../security/config.js';
import { corsMiddleware } from '../security/cors.js';
import { securityHeaders } from '../security/headers.js';
import { addressLimit } from '../security/address-limit.js';

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
  /** GET /v1/me (src/services/whoami.ts); absent in servers built without it. */
  whoami?: (p: Principal) => Promise<Me>;
  /** API token management (POST/GET /v1/tokens, DELETE /v1/tokens/:id); absent in servers built without it. */
  tokens?: TokenService;
  /** The allocation workflow (awards, splits, change requests); absent in servers built without it. */
  allocations?: AllocationService;
  /** Projects and members; absent in servers built without it. */
  projects?: ProjectService;
  /** CoE operators' drain / cordon / resume; absent in servers built without it. */
  clusterOps?: ClusterOperations;
  /** GET /v1/audit; absent in servers built without it. */
  audit?: AuditService;
  /** Rate limits (shared with gRPC in main.ts); default: http.rateLimit's defaults. */
  limits?: RateLimiter;
  /** Proxies whose X-Forwarded-For names the client (http.trustProxy); default off. */
  trustProxy?: TrustProxy;
  /** Origins allowed to call the API from a browser (http.cors.origins); none: CORS off. */
  corsOrigins?: readonly string[];
  /** The authorisation table (default: src/api/authz/rules.ts) and the lookups its scope checks use. */
  authz?: { table?: AccessTable; lookups?: ScopeLookups };
}

/** Build the express app (not listening); throws when a route has no authorisation rule. */
export function createApp(deps: RestDeps): Express {
  const rules = new RestRuleTable(deps.authz?.table ?? restRules);
  const app = express();
  const limits = deps.limits ?? new RateLimiter(defaultRateLimits);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(securityHeaders());
  const cors = corsMiddleware(deps.corsOrigins ?? []);
  if (cors) app.use(cors);
  // Before the body is parsed: a flooding address costs as little as possible.
  app.use(addressLimit(limits));
  app.use(express.json({ limit: deps.bodyLimitBytes }));
  app.use(healthRoutes(deps));
  app.use(docsRoutes());
  // The dashboard's static files (no token: the page signs in with one and calls /v1).
  if (deps.reports) app.use(dashboardStatic());

  const v1 = express.Router();
  v1.use(requireBearer(deps.resolveToken, limits));
  // One place decides who may call what (src/api/authz/rules.ts); handlers only narrow to the caller's scope.
  v1.use(authorizeRest(rules, deps.authz?.lookups));
  v1.use(inventoryRoutes(deps.inventory));
  v1.use(institutionRoutes(deps.institutions));
  v1.use(jobRoutes(deps.jobs));
  if (deps.usage) v1.use(usageRoutes(deps.usage));
  if (deps.reports) v1.use(reportRoutes(deps.reports));
  if (deps.whoami) v1.use(meRoutes(deps.whoami));
  if (deps.tokens) v1.use(tokenRoutes(deps.tokens));
  if (deps.allocations) v1.use(allocationRoutes(deps.allocations));
  if (deps.projects) v1.use(projectRoutes(deps.projects));
  if (deps.clusterOps) v1.use(clusterActionRoutes(deps.clusterOps));
  if (deps.audit) v1.use(auditRoutes(deps.audit));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  // Fail closed: a route nobody wrote a rule for stops the server here, not at its first caller.
  assertEveryRouteHasRule(app, rules);
  return app;
}
