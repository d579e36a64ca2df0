/**
 * The gRPC server in process (127.0.0.1, port 0) over a migrated PGlite database seeded with the small
 * grid fixture, with API tokens for every fixture user and clients generated at runtime from the same
 * .proto files the server loads. There is no control loop: tests move jobs through their states with the
 * jobs repository, as the loop would.
 */
import * as grpc from '@grpc/grpc-js';
import { createSimClusters } from '../../../src/adapters/sim/index.js';
import { loadProtos, serviceConstructor, startGrpcServer, type GrpcServerHandle } from '../../../src/api/grpc/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InventoryService } from '../../../src/services/inventory-service.js';
import { JobService } from '../../../src/services/job-service.js';
import { createApiToken, listClusters, listSites, resolveToken, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { jobEvents, transitionJobs, type JobPatch } from '../../../src/store/repositories/jobs.js';
import type { Db } from '../../../src/store/rows.js';
import type { JobState } from '../../../src/domain/types.js';
import { openPgliteTestDb } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

/** The outcome of one call: a response or an error, never a throw. */
export interface CallResult {
  res?: any;
  err?: grpc.ServiceError;
}

/** A running server and what tests need around it. */
export interface GrpcHarness {
  db: Db;
  port: number;
  server: GrpcServerHandle;
  /** Secrets by user id: `admin`, `inst-00-r1`, `inst-01-r1`, `inst-02-r1`, `op-quetta`. */
  tokens: Record<string, string>;
  jobs: grpc.Client;
  clusters: grpc.Client;
  health: grpc.Client;
  /** A unary call; `token` is a user id from `tokens`, a raw secret, or null for none. */
  call(client: grpc.Client, method: string, request: unknown, opts?: { token?: string | null; metadata?: Record<string, string> }): Promise<CallResult>;
  /** Metadata with `authorization: Bearer <token of user>` (and any extra entries). */
  metadata(token?: string | null, extra?: Record<string, string>): grpc.Metadata;
  /** Move a job as the control loop would (records an event row). */
  move(jobId: string, from: JobState[], to: JobState, patch?: JobPatch, reason?: string): Promise<void>;
  jobCount(): Promise<number>;
  close(): Promise<void>;
}

/** Start the server on a fresh PGlite database. */
export async function startGrpcHarness(opts: { watchPollMs?: number } = {}): Promise<GrpcHarness> {
  const opened: OpenedDatabase = await openPgliteTestDb();
  const db = opened.db;
  const seed = gridFixture(3);
  await writeGridSeed(db, seed);
  const tokens: Record<string, string> = {};
  for (const u of seed.users) tokens[u.id] = (await createApiToken(db, { userId: u.id, name: 'test' })).secret;

  const adapters = createSimClusters(seed, { speed: 1 });
  const log = createLogger('silent');
  const server = await startGrpcServer(
    {
      log,
      jobs: new JobService({ db, log }),
      inventory: new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, adapters),
      resolveToken: (secret) => resolveToken(db, secret),
      jobEvents: (id, after) => jobEvents(db, id, after),
      watchPollMs: opts.watchPollMs ?? 30,
    },
    '127.0.0.1',
    0,
  );

  const protos = loadProtos();
  const target = `127.0.0.1:${server.port}`;
  const client = (name: string) => new (serviceConstructor(protos, name))(target, grpc.credentials.createInsecure());
  const jobs = client('ncg.v1.JobService');
  const clusters = client('ncg.v1.ClusterService');
  const health = client('grpc.health.v1.Health');

  const metadata: GrpcHarness['metadata'] = (token = 'admin', extra = {}) => {
    const md = new grpc.Metadata();
    if (token !== null) md.set('authorization', `Bearer ${tokens[token] ?? token}`);
    for (const [k, v] of Object.entries(extra)) md.set(k, v);
    return md;
  };

  const call: GrpcHarness['call'] = (c, method, request, o = {}) =>
    new Promise((resolve) => {
      const fn = (c as unknown as Record<string, (...args: unknown[]) => void>)[method]!.bind(c);
      fn(request, metadata(o.token, o.metadata), { deadline: Date.now() + 20_000 }, (err: grpc.ServiceError | null, res: unknown) => resolve(err ? { err } : { res }));
    });

  return {
    db,
    port: server.port,
    server,
    tokens,
    jobs,
    clusters,
    health,
    call,
    metadata,
    move: async (jobId, from, to, patch, reason) => {
      const moved = await transitionJobs(db, [{ jobId, from, to, at: Date.now(), ...(patch ? { patch } : {}), ...(reason ? { reason } : {}) }]);
      if (!moved.has(jobId)) throw new Error(`job ${jobId} is not in ${from.join('/')}`);
    },
    jobCount: async () => {
      const r = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    close: async () => {
      for (const c of [jobs, clusters, health]) c.close();
      await server.close(1_000);
      await Promise.all([...adapters.values()].map((a) => a.close()));
      await opened.close();
    },
  };
}

/** A small valid submission for the fixture grid (project of `inst`, default inst-00). */
export function validSubmit(overrides: Record<string, unknown> = {}, inst = 'inst-00'): Record<string, unknown> {
  return { name: 'demo', project: `${inst}-p1`, gpu_types: ['h100-80gb'], gpus_per_node: 2, walltime: '1h', command: ['python', 'train.py'], ...overrides };
}
