/**
 * The REST app in process on a real HTTP server (127.0.0.1, port 0) over a migrated test database seeded
 * with the small grid fixture, with API tokens for the national admin and each fixture researcher.
 * The JobService's hooks are recorded so tests can see what the control loop would have been told.
 */
import type { Express } from 'express';
import { createApp } from '../../../src/api/rest/app.js';
import type { TokenResolver } from '../../../src/api/rest/auth.js';
import { listen, type HttpServerHandle } from '../../../src/api/rest/server.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { InventoryService } from '../../../src/services/inventory-service.js';
import { JobService, type JobChangeReason } from '../../../src/services/job-service.js';
import { UsageService } from '../../../src/services/usage-service.js';
import { ReportService } from '../../../src/reports/report-service.js';
import { DashboardViews } from '../../../src/reports/dashboard-views.js';
import { TokenService } from '../../../src/services/token-service.js';
import { AllocationService } from '../../../src/services/allocation-service.js';
import { ProjectService } from '../../../src/services/project-service.js';
import { ClusterOperations } from '../../../src/services/cluster-operations.js';
import { AuditService } from '../../../src/services/audit-service.js';
import { cachedTokenResolver } from '../../../src/api/auth/token-cache.js';
import { whoami } from '../../../src/services/whoami.js';
import { RateLimiter } from '../../../src/api/security/rate-limits.js';
import { defaultRateLimits } from '../../../src/api/security/config.js';
import { defaultReportsConfig } from '../../../src/reports/config.js';
import { createApiToken, getInstitution, listClusters, listInstitutions, listSites, resolveToken, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { siteOfCluster } from '../../../src/store/repositories/clusters.js';
import type { JobRecord } from '../../../src/store/repositories/jobs.js';
import type { Db } from '../../../src/store/rows.js';
import { openPgliteTestDb } from '../../helpers/db.js';
import { openPostgresTestDb } from '../../helpers/postgres-template.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

/** A running app and what tests need around it. */
export interface ApiHarness {
  url: string;
  app: Express;
  db: Db;
  jobs: JobService;
  /** Secrets by user id: `admin`, `inst-00-r1`, `inst-01-r1`, `inst-02-r1`, `op-quetta`. */
  tokens: Record<string, string>;
  /** onChange calls, in order. */
  changes: JobChangeReason[];
  /** Jobs handed to cancelOnCluster. */
  clusterCancels: JobRecord[];
  /** Make cancelOnCluster fail (to show a cancel still succeeds). */
  failClusterCancel: boolean;
  /** fetch against the app: JSON in and out; `token` is a user id from `tokens` or a raw secret. */
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Start the app on a fresh database of `kind`. */
export async function startApiHarness(kind: 'pglite' | 'postgres' = 'pglite', opts: { bodyLimitBytes?: number; cachedTokens?: boolean; wrapResolver?: (base: TokenResolver, db: Db) => TokenResolver } = {}): Promise<ApiHarness> {
  const opened: OpenedDatabase = kind === 'pglite' ? await openPgliteTestDb() : await openPostgresTestDb();
  const db = opened.db;
  const seed = gridFixture(3);
  await writeGridSeed(db, seed);
  const tokens: Record<string, string> = {};
  for (const u of seed.users) tokens[u.id] = (await createApiToken(db, { userId: u.id, name: 'test' })).secret;

  const log = createLogger('silent');
  const changes: JobChangeReason[] = [];
  const clusterCancels: JobRecord[] = [];
  const h = { failClusterCancel: false } as ApiHarness;
  const jobs = new JobService({
    db,
    log,
    onChange: (r) => changes.push(r),
    cancelOnCluster: async (job) => {
      clusterCancels.push(job);
      if (h.failClusterCancel) throw new Error('cluster unreachable (test)');
    },
  });
  // With `cachedTokens`, tokens resolve through main.ts's cache, which a revocation empties.
  const cache = opts.cachedTokens ? cachedTokenResolver((secret) => resolveToken(db, secret)) : undefined;
  const app = createApp({
    log,
    metrics: createMetricsRegistry({ database: kind, grid: 'none' }),
    bodyLimitBytes: opts.bodyLimitBytes ?? 1_048_576,
    readiness: async () => ({ ready: true, checks: { database: 'ok' } }),
    resolveToken: (opts.wrapResolver ?? ((base) => base))(cache ?? ((secret) => resolveToken(db, secret)), db),
    tokens: new TokenService({ db, ...(cache ? { onRevoke: () => cache.clear() } : {}) }),
    whoami: (p) => whoami(db, p),
    // Tests present bad tokens by the hundred from one address: no failed-authentication brake here
    // (test/integration/api/hardening.test.ts tests it).
    limits: new RateLimiter({ ...defaultRateLimits, authFailuresPerMinute: 0 }),
    inventory: new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, new Map()),
    institutions: { listInstitutions: (page) => listInstitutions(db, page), getInstitution: (id) => getInstitution(db, id) },
    jobs,
    // Every optional part present, so the OpenAPI coverage test sees every route the app can have.
    usage: new UsageService({ db }),
    reports: reportsFor(db),
    allocations: new AllocationService({ db }),
    projects: new ProjectService({ db, onChange: () => jobs.invalidateCaches() }),
    clusterOps: new ClusterOperations({ db }),
    audit: new AuditService(db),
    // As main.ts: the table's cluster scope checks (operators' own sites) look the site up.
    authz: { lookups: { siteOfCluster: (id) => siteOfCluster(db, id) } },
  });
  const http: HttpServerHandle = await listen(app, '127.0.0.1', 0);
  const url = `http://127.0.0.1:${http.port}`;

  const call: ApiHarness['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token === undefined ? 'admin' : o.token;
    if (token !== null) headers.authorization = `Bearer ${tokens[token] ?? token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text;
    return { status: res.status, body: json, headers: res.headers };
  };

  return Object.assign(h, {
    url,
    app,
    db,
    jobs,
    tokens,
    changes,
    clusterCancels,
    call,
    close: async () => {
      await http.close(1_000);
      await opened.close();
    },
  });
}

/** A small valid submission for the fixture grid (project of institution `inst`, default inst-00). */
export function validJob(overrides: Record<string, unknown> = {}, inst = 'inst-00'): Record<string, unknown> {
  return { name: 'demo', project: `${inst}-p1`, gpuType: 'h100-80gb', gpusPerNode: 2, walltime: '1h', command: ['python', 'train.py'], ...overrides };
}

/** The report service and dashboard views over `db` (no timers: queries refresh the rollups themselves). */
function reportsFor(db: Db): { service: ReportService; views: DashboardViews } {
  const service = new ReportService({ db, now: Date.now, config: defaultReportsConfig, freshnessMs: 0 });
  return { service, views: new DashboardViews({ db, reports: service, inventory: new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, new Map()) }) };
}
