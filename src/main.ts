/**
 * The one place that wires ncg together (DESIGN §3): database, migrations, first-start seed, cluster
 * adapters, services, the REST server and (once leader) the control loop. It reads no environment: the
 * CLI loads the configuration and passes it in.
 */
import { resolve } from 'node:path';
import type { Config } from './config/index.js';
import type { Logger } from './observability/logger.js';
import { createMetricsRegistry } from './observability/metrics.js';
import { NcgMetrics } from './observability/ncg-metrics.js';
import { gridStateSource } from './observability/grid-state-source.js';
import { startMetering } from './metering/start.js';
import { UsageService } from './services/usage-service.js';
import { reportsConfigOf } from './reports/config.js';
import { startReports } from './reports/start.js';
import { demoConfigOf, demoLoadOn } from './demo/config.js';
import type { Principal } from './domain/principal.js';
import { whoami } from './services/whoami.js';
import { seedDemoHistory } from './demo/seed-history.js';
import { startDemoLoad, type DemoLoad } from './demo/demo-load.js';
import { createApp } from './api/rest/app.js';
import { listen, type HttpServerHandle } from './api/rest/server.js';
import { startGrpcServer, type GrpcServerHandle } from './api/grpc/index.js';
import type { Readiness } from './api/rest/routes/health.js';
import { InventoryService } from './services/inventory-service.js';
import { JobService } from './services/job-service.js';
import { cachedTokenResolver } from './api/auth/token-cache.js';
import { TokenService } from './services/token-service.js';
import { RateLimiter } from './api/security/rate-limits.js';
import { oidcResolver, withOidc } from './api/auth/oidc.js';
import { getUser } from './store/repositories/users.js';
import { siteOfCluster } from './store/repositories/clusters.js';
import { AllocationService } from './services/allocation-service.js';
import { ProjectService } from './services/project-service.js';
import { ClusterOperations } from './services/cluster-operations.js';
import { AuditService } from './services/audit-service.js';
import { firstStart, type FirstStartResult } from './bootstrap/first-start.js';
import { registerConfiguredClusters } from './bootstrap/federated-clusters.js';
import { nationalGridSeed } from './seed/national-grid.js';
import { ScaledClock, createSimClusters } from './adapters/sim/index.js';
import type { ClusterAdapter } from './adapters/port.js';
import { Controller, LocalLease, PgAdvisoryLease, policyFromConfig, registerLeaderGauge, type LeaderLease } from './control/index.js';
import {
  assertKnownMigrations,
  getInstitution,
  listClusters,
  listInstitutions,
  listSites,
  migrateToLatest,
  migrationStatus,
  openDatabase,
  pingDatabase,
  resolveToken,
  type OpenedDatabase,
} from './store/index.js';
import { jobEvents } from './store/repositories/jobs.js';
import { withTimeout } from './control/bounded.js';

/** A running ncg process. */
export interface RunningNcg {
  database: OpenedDatabase;
  http: HttpServerHandle;
  /** The gRPC server (proto/ncg/v1, health, reflection). */
  grpc: GrpcServerHandle;
  adapters: Map<string, ClusterAdapter>;
  /** The control loop (cycles only while this process holds the leader lease). */
  controller: Controller;
  /** The grid's clock: simulated time on sim grids (NCG_SIM_SPEED), wall time otherwise. */
  now: () => number;
  firstStart: FirstStartResult;
  /** Stop accepting, finish in-flight requests, stop the loop, close adapters and the database. */
  close(): Promise<void>;
}

/** Open the database and bring its schema up to date; refuses a database migrated by a newer build. */
export async function openAndMigrate(config: Config, log: Logger): Promise<OpenedDatabase> {
  const database = await openDatabase({
    ...(config.database.url ? { url: config.database.url } : { dataDir: resolve(config.dataDir) }),
    onPoolError: (err) => log.warn({ err }, 'database connection error'),
  });
  try {
    await assertKnownMigrations(database.db);
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) log.info({ applied }, 'database migrated');
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

/**
 * Build adapters for the registered clusters: sim clusters in process (others come from config), on one
 * shared clock that is also the control loop's, so job times and the loop's `now` agree at any sim speed.
 */
async function buildAdapters(database: OpenedDatabase, config: Config, log: Logger): Promise<{ adapters: Map<string, ClusterAdapter>; now: () => number }> {
  const federated = await registerConfiguredClusters(database.db, config.clusters, log);
  const clusters = await listClusters(database.db);
  const sim = clusters.filter((c) => c.kind === 'sim');
  const clock = new ScaledClock({ speed: config.sim.speed });
  const simAdapters = createSimClusters(
    { clusters: sim, pools: sim.flatMap((c) => c.pools) },
    { clock, defaultDurationSeconds: config.sim.defaultDurationSeconds },
  );
  // Sim time runs ahead of the wall clock above speed 1; with real clusters federated, the loop keeps wall time.
  const now = sim.length > 0 && federated.size === 0 ? () => clock.now() : Date.now;
  return { adapters: new Map<string, ClusterAdapter>([...simAdapters, ...federated]), now };
}

/** The control loop's lease: an advisory lock on PostgreSQL, the single process on the embedded database. */
function leaderLease(database: OpenedDatabase, config: Config, log: Logger): LeaderLease {
  if (database.kind !== 'postgres' || !config.database.url) return new LocalLease();
  // config.leader.leasePeriodSeconds: a standby takes over within two of these after the leader dies.
  return new PgAdvisoryLease({ url: config.database.url, leasePeriodMs: config.leader.leasePeriodSeconds * 1000, onError: (err) => log.warn({ err: err.message }, 'leader lease connection lost') });
}

/** How long /readyz (and gRPC health) waits for the database before answering not ready. */
const READINESS_TIMEOUT_MS = 2_000;

/** How the process starts ncg. */
export interface StartOptions {
  /**
   * Run the demo workload when `demo.load` is unset and the database is embedded: `ncg serve` (npm start)
   * says yes; tests and embedders that start ncg as a library get a quiet grid unless they ask.
   */
  demoByDefault?: boolean;
}

/** Start ncg with a validated configuration. */
export async function startNcg(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningNcg> {
  const database = await openAndMigrate(config, log);
  const db = database.db;
  const embedded = database.kind === 'pglite';
  const seed = nationalGridSeed;
  const first = config.grid.seed === 'national' ? await firstStart(db, seed, resolve(config.dataDir), Date.now()) : {};
  const demoOn = demoLoadOn(demoConfigOf(config), embedded && (opts.demoByDefault ?? false));
  if (first.seeded) log.info({ seeded: first.seeded }, 'seeded the national grid');

  const { adapters, now } = await buildAdapters(database, config, log);
  if (first.seeded && demoOn && demoConfigOf(config).history) {
    log.info({}, 'writing the demo history: finished jobs since the start of the previous quarter (NCG_DEMO_HISTORY=0 skips it)');
    const past = await seedDemoHistory(db, seed(), now(), demoConfigOf(config).seed, config.scheduler.halfLifeDays * 86_400);
    log.info({ ...past, from: new Date(past.from).toISOString() }, `demo history: ${past.jobs} finished jobs, ${past.gpuHours} GPU-hours since ${new Date(past.from).toISOString().slice(0, 10)}`);
  }
  const metrics = createMetricsRegistry({ database: database.kind, grid: adapters.size > 0 ? 'sim' : 'none' });
  const inventory = new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, adapters);
  // The control loop attaches onChange / cancelOnCluster with jobs.setHooks once it exists.
  // Jobs are stamped on the grid's clock (the loop's), so a job's submit, start and end share one timeline at any sim speed.
  const jobs = new JobService({ db, log, now });
  // ncg's own metrics; gauges of grid state are read from the store and the live inventory on scrape.
  const ncgMetrics = new NcgMetrics(metrics, { source: gridStateSource(db, inventory) });
  // Usage, budgets and metering discrepancies: REST /v1/usage… and gRPC ncg.v1.UsageService.
  const usage = new UsageService({ db });

  // Cached briefly (src/api/auth/token-cache.ts): a revoked token stops working within 15 s. REST and gRPC share it.
  const tokens = cachedTokenResolver((secret) => resolveToken(db, secret));
  // Token management (REST /v1/tokens, gRPC TokenService); a revocation empties this replica's cache at once.
  const tokenService = new TokenService({ db, onRevoke: () => tokens.clear() });
  // What the authorisation table's scope checks look up (src/api/authz/decide.ts).
  const authz = { lookups: { siteOfCluster: (id: string) => siteOfCluster(db, id) } };
  // One set of rate limits for REST and gRPC: a token or address gets one budget, whichever way it calls.
  const limits = new RateLimiter(config.http.rateLimit);
  // With auth.oidc, bearer JWTs from the SSO are accepted too (verified per request, not cached: they expire on their own).
  const oidc = config.auth.oidc ? oidcResolver(config.auth.oidc, (id) => getUser(db, id).catch(() => undefined)) : undefined;
  const bearer = withOidc(tokens, oidc);
  // Bounded: a database that stopped answering (a partition drops packets, no reset) must make /readyz
  // say so within the probe's timeout, not leave the probe hanging on a pool connect without one.
  const readiness = async (): Promise<Readiness> => {
    try {
      await withTimeout(pingDatabase(db), READINESS_TIMEOUT_MS, `no answer from the database within ${READINESS_TIMEOUT_MS} ms`);
      const status = await migrationStatus(db);
      const migrated = status.pending.length === 0 && status.unknown.length === 0;
      return { ready: migrated, checks: { database: 'ok', migrations: migrated ? 'ok' : `pending: ${status.pending.join(', ')}` } };
    } catch (e) {
      return { ready: false, checks: { database: (e as Error).message } };
    }
  };

  // KPIs (issue 10): rollups, health samples, snapshot schedules (caught up now), the dashboard's data.
  const reports = await startReports({ db, now, config: reportsConfigOf(config), inventory, log: log.child({ component: 'reports' }) });

  // Allocation workflow, projects and members, operators' cluster actions, the audit log (issue 8).
  const allocations = new AllocationService({ db });
  // A membership change drops this replica's cached memberships at once (others within the 30 s TTL).
  const projects = new ProjectService({ db, onChange: () => jobs.invalidateCaches() });
  // A drained, cordoned or resumed cluster: refresh the submit path's inventory and run a cycle now.
  const clusterOps = new ClusterOperations({ db, onChange: () => (jobs.invalidateCaches(), controller.trigger('cluster-state')) });
  const audit = new AuditService(db);

  const app = createApp({
    log,
    metrics,
    bodyLimitBytes: config.http.bodyLimitBytes,
    resolveToken: bearer,
    tokens: tokenService,
    whoami: (p: Principal) => whoami(db, p),
    authz,
    limits,
    corsOrigins: config.http.cors.origins,
    trustProxy: config.http.trustProxy,
    inventory,
    institutions: { listInstitutions: (page) => listInstitutions(db, page), getInstitution: (id) => getInstitution(db, id) },
    jobs,
    usage,
    reports: { service: reports.service, views: reports.views },
    allocations,
    projects,
    clusterOps,
    audit,
    readiness,
  });
  const lease = leaderLease(database, config, log);
  registerLeaderGauge(metrics, lease);
  const controller = new Controller({
    db,
    adapters,
    lease,
    policy: policyFromConfig(config.scheduler),
    now,
    intervalMs: config.scheduler.intervalSeconds * 1000,
    log: log.child({ component: 'control' }),
    metrics: ncgMetrics.controlMetrics(() => [...adapters.keys()]),
  });
  // Metering (issue 7): on its schedule when `metering.enabled`; only the leader meters (writes are idempotent anyway).
  const metering = startMetering({
    db,
    config: config.metering,
    halfLifeSeconds: config.scheduler.halfLifeDays * 86_400,
    observer: ncgMetrics,
    log: log.child({ component: 'metering' }),
    isLeader: () => lease.isLeader(),
  });
  jobs.setHooks({ onChange: (reason) => controller.trigger(reason), cancelOnCluster: (job) => controller.cancelOnCluster(job) });
  let http: HttpServerHandle;
  let grpc: GrpcServerHandle;
  try {
    http = await listen(app, config.http.host, config.http.port);
    const grpcDeps = { log: log.child({ component: 'grpc' }), jobs, inventory, resolveToken: bearer, jobEvents: (id: string, after: number) => jobEvents(db, id, after), usage, reports: reports.service, tokens: tokenService, allocations, authz, limits, ready: async () => (await readiness()).ready };
    grpc = await startGrpcServer(grpcDeps, config.grpc.host, config.grpc.port).catch(async (e: unknown) => {
      await http.close();
      throw e;
    });
    await controller.start();
  } catch (e) {
    await controller.stop();
    await metering.stop();
    await reports.close();
    await Promise.all([...adapters.values()].map((a) => a.close()));
    await database.close();
    throw e;
  }
  log.info(
    { url: `http://${config.http.host}:${http.port}`, database: database.location, clusters: adapters.size },
    `ncg listening on http://${config.http.host}:${http.port} — ${embedded ? 'embedded database' : 'PostgreSQL'} (${database.location}); ${adapters.size} simulated clusters`,
  );

  // The demo workload (`ncg serve` on the embedded database by default; NCG_DEMO_LOAD=0 turns it off) goes through the JobService like any user.
  const demo: DemoLoad | undefined = demoOn
    ? await startDemoLoad({ db, jobs, config: demoConfigOf(config), log: log.child({ component: 'demo' }) })
    : undefined;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await demo?.stop();
      await controller.stop();
      await reports.close();
      await metering.stop();
      await Promise.all([http.close(), grpc.close()]);
      await Promise.all([...adapters.values()].map((a) => a.close()));
      await database.close();
    })());
  return { database, http, grpc, adapters, controller, now, firstStart: first, close };
}
