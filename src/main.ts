/**
 * The one place that wires ncg together (DESIGN §3): database, migrations, first-start seed, cluster
 * adapters, services, the REST server and (once leader) the control loop. It reads no environment: the
 * CLI loads the configuration and passes it in.
 */
import { resolve } from 'node:path';
import type { Config } from './config/index.js';
import type { Logger } from './observability/logger.js';
import { createMetricsRegistry } from './observability/metrics.js';
import { createApp } from './api/rest/app.js';
import { listen, type HttpServerHandle } from './api/rest/server.js';
import type { Readiness } from './api/rest/routes/health.js';
import { InventoryService } from './services/inventory-service.js';
import { firstStart, type FirstStartResult } from './bootstrap/first-start.js';
import { nationalGridSeed } from './seed/national-grid.js';
import { createSimClusters } from './adapters/sim/index.js';
import type { ClusterAdapter } from './adapters/port.js';
import {
  assertKnownMigrations,
  getInstitution,
  listClusters,
  listInstitutions,
  listSites,
  migrateToLatest,
  migrationStatus,
  openDatabase,
  resolveToken,
  type OpenedDatabase,
} from './store/index.js';
import { sql } from 'kysely';

/** A running ncg process. */
export interface RunningNcg {
  database: OpenedDatabase;
  http: HttpServerHandle;
  adapters: Map<string, ClusterAdapter>;
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

/** Build adapters for the registered clusters: sim clusters in process (others come from config). */
async function buildAdapters(database: OpenedDatabase, config: Config): Promise<Map<string, ClusterAdapter>> {
  const clusters = await listClusters(database.db);
  const sim = clusters.filter((c) => c.kind === 'sim');
  const simAdapters = createSimClusters(
    { clusters: sim, pools: sim.flatMap((c) => c.pools) },
    { speed: config.sim.speed, defaultDurationSeconds: config.sim.defaultDurationSeconds },
  );
  return new Map<string, ClusterAdapter>(simAdapters);
}

/** Start ncg with a validated configuration. */
export async function startNcg(config: Config, log: Logger): Promise<RunningNcg> {
  const database = await openAndMigrate(config, log);
  const db = database.db;
  const embedded = database.kind === 'pglite';
  const first = config.grid.seed === 'national' ? await firstStart(db, nationalGridSeed, resolve(config.dataDir), Date.now()) : {};
  if (first.seeded) log.info({ seeded: first.seeded }, 'seeded the national grid');

  const adapters = await buildAdapters(database, config);
  const metrics = createMetricsRegistry({ database: database.kind, grid: adapters.size > 0 ? 'sim' : 'none' });
  const inventory = new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, adapters);

  const app = createApp({
    log,
    metrics,
    bodyLimitBytes: config.http.bodyLimitBytes,
    resolveToken: (secret) => resolveToken(db, secret),
    inventory,
    institutions: { listInstitutions: (page) => listInstitutions(db, page), getInstitution: (id) => getInstitution(db, id) },
    readiness: async (): Promise<Readiness> => {
      try {
        await sql`select 1`.execute(db);
        const status = await migrationStatus(db);
        const migrated = status.pending.length === 0 && status.unknown.length === 0;
        return { ready: migrated, checks: { database: 'ok', migrations: migrated ? 'ok' : `pending: ${status.pending.join(', ')}` } };
      } catch (e) {
        return { ready: false, checks: { database: (e as Error).message } };
      }
    },
  });
  let http: HttpServerHandle;
  try {
    http = await listen(app, config.http.host, config.http.port);
  } catch (e) {
    await Promise.all([...adapters.values()].map((a) => a.close()));
    await database.close();
    throw e;
  }
  log.info(
    { url: `http://${config.http.host}:${http.port}`, database: database.location, clusters: adapters.size },
    `ncg listening on http://${config.http.host}:${http.port} — ${embedded ? 'embedded database' : 'PostgreSQL'} (${database.location}); ${adapters.size} simulated clusters`,
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await http.close();
      await Promise.all([...adapters.values()].map((a) => a.close()));
      await database.close();
    })());
  return { database, http, adapters, firstStart: first, close };
}
