/**
 * The gRPC server: `ncg.v1.JobService` and `ncg.v1.ClusterService` over the same services as REST, the
 * standard health service, and server reflection (so grpcurl and IDEs can discover the API). Protos are
 * loaded at runtime from proto/ (or dist/proto after a build).
 */
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import type { Logger } from '../../observability/logger.js';
import type { InventoryService } from '../../services/inventory-service.js';
import type { JobService } from '../../services/job-service.js';
import type { UsageService } from '../../services/usage-service.js';
import type { JobEvent } from '../../store/repositories/jobs.js';
import type { TokenResolver } from './call.js';
import { clusterHandlers } from './cluster-handlers.js';
import { healthHandlers } from './health.js';
import { jobHandlers } from './job-handlers.js';
import { loadProtos, serviceConstructor } from './load-protos.js';
import { usageHandlers } from './usage-handlers.js';
import { reportHandlers } from './report-handlers.js';
import { tokenHandlers } from './token-handlers.js';
import { allocationHandlers } from './allocation-handlers.js';
import type { AllocationService } from '../../services/allocation-service.js';
import type { TokenService } from '../../services/token-service.js';
import type { ReportService } from '../../reports/report-service.js';
import { withSafeDecoding } from './safe-decode.js';
import { assertEveryMethodHasRule, grpcAuthorizer } from './authorize.js';
import { grpcRules } from '../authz/rules.js';
import type { RateLimiter } from '../security/rate-limits.js';
import type { ScopeLookups } from '../authz/decide.js';
import type { AccessTable } from '../authz/rule.js';

/** Largest request message accepted: the same 1 MiB REST allows for a body by default. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/** Everything the gRPC server needs; main.ts provides it. */
export interface GrpcDeps {
  log: Pick<Logger, 'error' | 'warn' | 'info'>;
  jobs: JobService;
  inventory: Pick<InventoryService, 'listClusters'>;
  resolveToken: TokenResolver;
  /** Events of a job with an id above `afterId` (store: `jobEvents(db, jobId, afterId)`). */
  jobEvents: (jobId: string, afterId: number) => Promise<JobEvent[]>;
  /** `ncg.v1.UsageService` (usage-handlers.ts), served when given. */
  usage?: UsageService;
  /** `ncg.v1.ReportService` (report-handlers.ts), served when given. */
  reports?: ReportService;
  /** Rate limits shared with REST (main.ts); none when absent. */
  limits?: RateLimiter;
  /** `ncg.v1.TokenService` (token-handlers.ts), served when given. */
  tokens?: TokenService;
  /** `ncg.v1.AllocationService` (allocation-handlers.ts), served when given. */
  allocations?: AllocationService;
  /** Readiness for the health service; without it the server reports SERVING while it runs. */
  ready?: () => Promise<boolean>;
  /** How often Watch looks for new events (default 250 ms). */
  watchPollMs?: number;
  maxMessageBytes?: number;
  /** The authorisation table (default: src/api/authz/rules.ts) and the lookups its scope checks use. */
  authz?: { table?: AccessTable; lookups?: ScopeLookups };
}

/** A listening gRPC server. */
export interface GrpcServerHandle {
  /** The bound port (useful with port 0 in tests). */
  port: number;
  /** Stop accepting, end watches, let in-flight calls finish within `graceMs`, then cancel the rest. */
  close(graceMs?: number): Promise<void>;
}

function address(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address(host, port), grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(new Error(/in use|EADDRINUSE/i.test(err.message) ? `gRPC port ${port} on ${host} is already in use; set NCG_GRPC_PORT to a free port` : `cannot listen for gRPC on ${host}:${port}: ${err.message}`));
      else resolve(bound);
    });
  });
}

/** Start the gRPC server on host:port. */
export async function startGrpcServer(deps: GrpcDeps, host: string, port: number): Promise<GrpcServerHandle> {
  const protos = loadProtos();
  const shutdown = new AbortController();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  });
  const table = deps.authz?.table ?? grpcRules;
  const ctx = { resolveToken: deps.resolveToken, log: deps.log, authorize: grpcAuthorizer(table, deps.authz?.lookups), ...(deps.limits ? { limits: deps.limits } : {}) };
  const served: string[] = [];
  const add = (name: string, impl: grpc.UntypedServiceImplementation) => {
    const { service } = serviceConstructor(protos, name);
    // Fail closed: a method nobody wrote a rule for stops the server here.
    assertEveryMethodHasRule(service, table);
    server.addService(withSafeDecoding(service), impl);
    served.push(name);
  };
  add('ncg.v1.JobService', jobHandlers({ ...ctx, jobs: deps.jobs, jobEvents: deps.jobEvents, shutdown: shutdown.signal, ...(deps.watchPollMs ? { pollMs: deps.watchPollMs } : {}) }));
  add('ncg.v1.ClusterService', clusterHandlers({ ...ctx, inventory: deps.inventory }));
  if (deps.usage) add('ncg.v1.UsageService', usageHandlers({ ...ctx, usage: deps.usage }));
  if (deps.reports) add('ncg.v1.ReportService', reportHandlers({ ...ctx, reports: deps.reports }));
  if (deps.tokens) add('ncg.v1.TokenService', tokenHandlers({ ...ctx, tokens: deps.tokens }));
  if (deps.allocations) add('ncg.v1.AllocationService', allocationHandlers({ ...ctx, allocations: deps.allocations }));
  add('grpc.health.v1.Health', healthHandlers({ services: served, ready: deps.ready ?? (async () => true), shutdown: shutdown.signal, log: deps.log }));
  new ReflectionService(protos.packageDefinition).addToServer(server);

  const bound = await bind(server, host, port);
  deps.log.info({ address: address(host, bound) }, `gRPC listening on ${address(host, bound)}`);

  let closing: Promise<void> | undefined;
  const close = (graceMs = 5_000) =>
    (closing ??= new Promise<void>((resolve) => {
      // Watches would otherwise hold tryShutdown open until the grace period ends.
      shutdown.abort();
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      force.unref();
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    }));
  return { port: bound, close };
}
