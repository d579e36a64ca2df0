/**
 * The configuration schema: every key ncg understands, its type and its default.
 * Objects are strict, so an unknown key anywhere is an error that names it.
 */
import { z } from 'zod';
import { slurmClusterConfigSchema } from '../adapters/slurm/config.js';
import { kubernetesClusterConfigSchema } from '../adapters/kubernetes/config.js';
import { defaultReportsConfig, reportsConfigSchema } from '../reports/config.js';
import { demoConfigSchema } from '../demo/config.js';
import { corsConfigSchema, rateLimitConfigSchema, trustProxySchema } from '../api/security/config.js';
import { authConfigSchema } from '../api/auth/oidc-config.js';
import { meteringConfigSchema } from '../metering/config.js';

/** Numbers may arrive as strings from the environment or flags; anything not a finite number stays invalid. */
const num = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ error: 'expected a number' }).finite());
const int = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ error: 'expected a whole number' }).int('expected a whole number'));
const bool = () =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    return v;
  }, z.boolean({ error: 'expected true or false' }));
// Port 0 asks the OS for a free port (tests run several servers at once).
const port = () => int().pipe(z.number().min(0, 'expected a TCP port 0–65535').max(65535, 'expected a TCP port 0–65535'));

/** Log levels pino understands. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const weights = z.strictObject({
  fairshare: num().pipe(z.number().min(0)).default(10_000),
  age: num().pipe(z.number().min(0)).default(1_000),
  qos: num().pipe(z.number().min(0)).default(2_000),
  size: num().pipe(z.number().min(0)).default(500),
});

const scheduler = z.strictObject({
  /** Maximum seconds between cycles; events trigger cycles sooner. */
  intervalSeconds: num().pipe(z.number().positive()).default(10),
  halfLifeDays: num().pipe(z.number().positive()).default(7),
  maxAgeDays: num().pipe(z.number().positive()).default(7),
  weights: weights.default(weights.parse({})),
  backfillDepth: int().pipe(z.number().min(0)).default(50),
  borrowing: bool().default(true),
  reclaim: bool().default(true),
  nominalShareBy: z.enum(['total', 'gpuType']).default('total'),
  /** Seconds a preempted job stays off lent (borrowed) GPUs; 0 turns the cooldown off. */
  reclaimCooldownSeconds: int().pipe(z.number().min(0)).default(600),
});

const clusterId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and - (a DNS label)');
const clusterCommon = {
  id: clusterId,
  /** Id of the registered site the cluster belongs to. */
  site: z.string().min(1),
  name: z.string().min(1).optional(),
  state: z.enum(['active', 'draining', 'offline']).default('active'),
};

/** A federated cluster ncg reaches through an adapter; registered (with its pools) at start. */
const clusterEntry = z.discriminatedUnion('kind', [
  z.strictObject({ ...clusterCommon, kind: z.literal('slurm'), slurm: slurmClusterConfigSchema }),
  z.strictObject({ ...clusterCommon, kind: z.literal('kubernetes'), kubernetes: kubernetesClusterConfigSchema }),
]);

/** A configured federated cluster. */
export type ClusterEntry = z.infer<typeof clusterEntry>;

/** The whole configuration. */
export const configSchema = z.strictObject({
  http: z
    .strictObject({
      host: z.string().min(1).default('0.0.0.0'),
      port: port().default(8080),
      /** Largest accepted request body, bytes. */
      bodyLimitBytes: int().pipe(z.number().min(1024)).default(1_048_576),
      /** Browser origins allowed to call the API (src/api/security/config.ts); none: CORS off. */
      cors: corsConfigSchema.default(corsConfigSchema.parse({})),
      /** Per-token and per-address rate limits, and the failed-authentication brake. */
      rateLimit: rateLimitConfigSchema.default(rateLimitConfigSchema.parse({})),
      /** Proxies whose X-Forwarded-For names the client (src/api/security/config.ts); off by default. */
      trustProxy: trustProxySchema.default(false),
    })
    .default({ host: '0.0.0.0', port: 8080, bodyLimitBytes: 1_048_576, cors: corsConfigSchema.parse({}), rateLimit: rateLimitConfigSchema.parse({}), trustProxy: false }),
  grpc: z.strictObject({ host: z.string().min(1).default('0.0.0.0'), port: port().default(50051) }).default({ host: '0.0.0.0', port: 50051 }),
  database: z
    .strictObject({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL (leave unset for the embedded database)')
        .optional(),
    })
    .default({}),
  dataDir: z.string().min(1).default('./.ncg'),
  /** Optional OpenID Connect bearer JWTs besides API tokens (src/api/auth/oidc-config.ts). */
  auth: authConfigSchema.default({}),
  sim: z
    .strictObject({
      speed: num().pipe(z.number().positive('expected a positive multiplier')).default(1),
      /** Run time of a sim job that carries no `sim` block. */
      defaultDurationSeconds: num().pipe(z.number().positive()).default(600),
    })
    .default({ speed: 1, defaultDurationSeconds: 600 }),
  log: z.strictObject({ level: z.enum(logLevels).default('info') }).default({ level: 'info' }),
  scheduler: scheduler.default(scheduler.parse({})),
  /** Leadership of the control loop among replicas on one PostgreSQL (src/control/pg-advisory-lease.ts). */
  leader: z
    .strictObject({
      /**
       * The leader re-checks its lock this often and a standby waits this long per attempt; a standby takes
       * over within two periods of the leader's death. Shorter periods notice a hung database sooner.
       */
      leasePeriodSeconds: num().pipe(z.number().min(0.1, 'expected at least 0.1 seconds').max(300, 'expected at most 300 seconds')).default(5),
    })
    .default({ leasePeriodSeconds: 5 }),
  /** Federated Slurm and Kubernetes clusters (sim clusters come from the seed). */
  clusters: z
    .array(clusterEntry)
    .default([])
    .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'cluster ids must be unique'),
  /** KPIs: snapshot schedules, rollup and health sampling intervals, targets (src/reports/config.ts). */
  reports: reportsConfigSchema.default(defaultReportsConfig),
  /** GPU-hours from Prometheus into the ledger (src/metering/config.ts, docs/metering.md). */
  metering: meteringConfigSchema.default(meteringConfigSchema.parse({})),
  /** The built-in demo workload (src/demo/config.ts). */
  demo: demoConfigSchema.default(demoConfigSchema.parse({})),
  grid: z
    .strictObject({
      /** Seed an empty database with the national grid on first start. */
      seed: z.enum(['national', 'none']).default('national'),
    })
    .default({ seed: 'national' }),
});

/** A validated configuration. */
export type Config = z.infer<typeof configSchema>;
