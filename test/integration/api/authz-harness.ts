/**
 * What the authorisation matrix runs against: the REST app of api-harness.ts (every optional part
 * present) and a gRPC server with every service, over one PGlite database, plus a caller of each kind —
 * one user per role, another institution's admin, and tokens that are expired or revoked.
 */
import * as grpc from '@grpc/grpc-js';
import { loadProtos, startGrpcServer, type GrpcServerHandle, type LoadedProtos } from '../../../src/api/grpc/index.js';
import type { Role } from '../../../src/domain/types.js';
import { createLogger } from '../../../src/observability/logger.js';
import { defaultReportsConfig } from '../../../src/reports/config.js';
import { ReportService } from '../../../src/reports/report-service.js';
import { InventoryService } from '../../../src/services/inventory-service.js';
import { UsageService } from '../../../src/services/usage-service.js';
import { TokenService } from '../../../src/services/token-service.js';
import { AllocationService } from '../../../src/services/allocation-service.js';
import { createApiToken, listClusters, listSites, resolveToken, revokeApiToken } from '../../../src/store/index.js';
import { jobEvents } from '../../../src/store/repositories/jobs.js';
import type { Db } from '../../../src/store/rows.js';
import { startApiHarness, validJob, type ApiHarness } from './api-harness.js';
import { createApp } from '../../../src/api/rest/app.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import type { Express } from 'express';

/**
 * The app with every optional part, over services that are never called: enough to enumerate routes
 * synchronously while tests are collected (the running harness's app registers the same ones).
 */
export function routeInventoryApp(): Express {
  const unused = {} as never;
  return createApp({
    log: createLogger('silent'), metrics: createMetricsRegistry({ database: 'pglite', grid: 'none' }), bodyLimitBytes: 1024,
    readiness: async () => ({ ready: true, checks: {} }), resolveToken: async () => undefined,
    inventory: unused, institutions: unused, jobs: unused, usage: unused, reports: unused, tokens: unused, whoami: unused,
    allocations: unused, projects: unused, clusterOps: unused, audit: unused,
  });
}

/** Every service definition in the loaded protos (ncg.v1 and health), by full name. */
export function loadedServices(protos: LoadedProtos): [string, grpc.ServiceDefinition][] {
  return Object.entries(protos.packageDefinition)
    .filter(([, def]) => Object.values(def as object).every((m) => typeof (m as { path?: unknown }).path === 'string'))
    .map(([name, def]) => [name, def as unknown as grpc.ServiceDefinition]);
}

/** The callers of the matrix, by name. */
export const CALLERS = ['researcher', 'institution-admin', 'coe-operator', 'national-admin', 'other-institution-admin', 'no-token', 'expired-token', 'revoked-token'] as const;
/** One caller of the matrix. */
export type Caller = (typeof CALLERS)[number];

/** Each caller's user (undefined: no token) and roles. */
export const CALLER_USERS: Record<Caller, { userId?: string; roles: Role[] }> = {
  researcher: { userId: 'inst-00-r1', roles: ['researcher'] },
  'institution-admin': { userId: 'inst-00-iadmin', roles: ['institution-admin'] },
  'coe-operator': { userId: 'op-quetta', roles: ['coe-operator'] },
  'national-admin': { userId: 'nadmin', roles: ['national-admin'] },
  'other-institution-admin': { userId: 'inst-01-iadmin', roles: ['institution-admin'] },
  'no-token': { roles: [] },
  'expired-token': { userId: 'inst-00-r1', roles: [] },
  'revoked-token': { userId: 'inst-00-r1', roles: [] },
};

/** Ids of inst-00's things (the researcher's institution), for path parameters. */
export interface Samples {
  jobId: string;
  allocationId: string;
  tokenId: string;
}

/** The running matrix target. */
export interface AuthzHarness {
  api: ApiHarness;
  grpcPort: number;
  protos: LoadedProtos;
  /** Bearer secret of each caller (undefined for no-token). */
  secrets: Record<Caller, string | undefined>;
  samples: Samples;
  close(): Promise<void>;
}

async function addUser(db: Db, id: string, institutionId: string, roles: Role[]): Promise<void> {
  await db.insertInto('users').values({ id, institution_id: institutionId, name: id, email: `${id}@example.pk` }).execute();
  await db.insertInto('user_roles').values(roles.map((role) => ({ user_id: id, role }))).execute();
}

/** Start everything on one fresh PGlite database. */
export async function startAuthzHarness(): Promise<AuthzHarness> {
  const api = await startApiHarness('pglite');
  const db = api.db;
  await addUser(db, 'inst-00-iadmin', 'inst-00', ['institution-admin']);
  await addUser(db, 'inst-01-iadmin', 'inst-01', ['institution-admin']);
  await addUser(db, 'nadmin', 'inst-02', ['national-admin']);
  const secret = async (userId: string) => (await createApiToken(db, { userId, name: 'matrix' })).secret;
  const hourAgo = Date.now() - 3_600_000;
  const expired = await createApiToken(db, { userId: 'inst-00-r1', name: 'expired', expiresAt: hourAgo + 60_000 }, hourAgo);
  const revoked = await createApiToken(db, { userId: 'inst-00-r1', name: 'revoked' });
  await revokeApiToken(db, revoked.id);
  const secrets: Record<Caller, string | undefined> = {
    researcher: api.tokens['inst-00-r1'],
    'institution-admin': await secret('inst-00-iadmin'),
    'coe-operator': api.tokens['op-quetta'],
    'national-admin': await secret('nadmin'),
    'other-institution-admin': await secret('inst-01-iadmin'),
    'no-token': undefined,
    'expired-token': expired.secret,
    'revoked-token': revoked.secret,
  };

  const submitted = await api.call('POST', '/v1/jobs', { token: 'inst-00-r1', body: validJob() });
  if (submitted.status !== 201) throw new Error(`matrix setup: submit answered ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const samples: Samples = { jobId: submitted.body.id, allocationId: 'alloc-inst-00-2026q1', tokenId: revoked.id };

  const log = createLogger('silent');
  const inventory = new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, new Map());
  const server: GrpcServerHandle = await startGrpcServer(
    {
      log,
      jobs: api.jobs,
      inventory,
      resolveToken: (s) => resolveToken(db, s),
      jobEvents: (id, after) => jobEvents(db, id, after),
      usage: new UsageService({ db }),
      reports: new ReportService({ db, now: Date.now, config: defaultReportsConfig, freshnessMs: 0 }),
      tokens: new TokenService({ db }),
      allocations: new AllocationService({ db }),
      watchPollMs: 30,
    },
    '127.0.0.1',
    0,
  );
  return {
    api,
    grpcPort: server.port,
    protos: loadProtos(),
    secrets,
    samples,
    close: async () => {
      await server.close(500);
      await api.close();
    },
  };
}

/** The outcome of one gRPC call: its status code and message (OK when it answered). */
export interface GrpcOutcome {
  code: grpc.status;
  details: string;
}

/**
 * Call any method of a loaded service with an empty request — unary or server-streaming (the first
 * message or the error decides; the stream is then cancelled).
 */
export function callAnyMethod(client: grpc.Client, def: grpc.MethodDefinition<unknown, unknown>, secret: string | undefined): Promise<GrpcOutcome> {
  const md = new grpc.Metadata();
  if (secret !== undefined) md.set('authorization', `Bearer ${secret}`);
  const options = { deadline: Date.now() + 15_000 };
  return new Promise((resolve) => {
    const request = {};
    if (def.responseStream) {
      const stream = client.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, request, md, options);
      let done = false;
      const finish = (o: GrpcOutcome) => {
        if (done) return;
        done = true;
        resolve(o);
        stream.cancel();
      };
      stream.on('data', () => finish({ code: grpc.status.OK, details: '' }));
      stream.on('error', (e: grpc.ServiceError) => finish({ code: e.code, details: e.details }));
      stream.on('end', () => finish({ code: grpc.status.OK, details: '' }));
      return;
    }
    client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, request, md, options, (err) => {
      resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' });
    });
  });
}
