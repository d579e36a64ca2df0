/**
 * Configuration of one Slurm cluster reached through slurmrestd (the server config's `clusters:` entries of
 * kind `slurm` embed this). Objects are strict, so a misspelt key is an error that names it.
 * Documented for operators in docs/slurm.md.
 */
import { z } from 'zod';

/** slurmrestd OpenAPI versions this adapter speaks; `auto` picks the newest of these the server offers. */
export const supportedSlurmApiVersions = ['0.0.38'] as const;

/** One supported slurmrestd OpenAPI version. */
export type SlurmApiVersion = (typeof supportedSlurmApiVersions)[number];

// Numbers may arrive as strings (environment, flags), as in src/config/schema.ts.
const toNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);
const positive = () => z.preprocess(toNumber, z.number({ error: 'expected a number' }).positive('expected a positive number'));

const flag = () =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: 'expected true or false' }));

const absolutePath = () => z.string().regex(/^\//, 'expected an absolute path');

/** Who a job runs as on the cluster: a Slurm account and a Unix user that exists on every node. */
const mappingSchema = z.strictObject({
  account: z.string().min(1),
  user: z.string().min(1),
  /** Working directory (and output location) of this mapping's jobs; default `<workdirRoot>/<institutionId>`. */
  workdir: absolutePath().optional(),
});

/** A static token, a file holding one (re-read before it expires), or the HS256 key to mint tokens. */
const authSchema = z.union([
  z.strictObject({
    /** A JWT of a Slurm operator (SlurmUser or root), which may act for the mapped users. */
    token: z.string().min(1),
    /** The user the token belongs to. */
    user: z.string().min(1),
  }),
  z.strictObject({
    /** File with a token (`SLURM_JWT=…` or the bare token), rewritten by e.g. a cron `scontrol token`. */
    tokenFile: absolutePath(),
    user: z.string().min(1),
  }),
  z.strictObject({
    /** slurmctld's `jwt_key` (AuthAltParameters): ncg mints a token per Unix user itself. */
    jwtKeyFile: absolutePath(),
    /** Operator user for reads and cancels (SlurmUser or root). */
    user: z.string().min(1).default('slurm'),
    lifespanSeconds: positive().default(3600),
  }),
]);

/** Schema of one Slurm cluster's adapter configuration. */
export const slurmClusterConfigSchema = z.strictObject({
  /** slurmrestd base URL, e.g. http://slurm-rest.coe-isb.example:6820 */
  url: z.url(),
  /** `auto` detects from `/openapi/v3`; supported: 0.0.38 (Slurm 22.05). */
  apiVersion: z.enum(['auto', ...supportedSlurmApiVersions]).default('auto'),
  auth: authSchema,
  /** Institution or user → Slurm account and Unix user; a user entry wins over its institution's. */
  accounts: z
    .strictObject({
      default: mappingSchema.optional(),
      institutions: z.record(z.string(), mappingSchema).default({}),
      users: z.record(z.string(), mappingSchema).default({}),
    })
    .default({ institutions: {}, users: {} }),
  /** Per-institution work directories live under this path on the cluster's shared file system. */
  workdirRoot: absolutePath(),
  /** Partitions that become ncg pools; default all with GPUs. List them when partitions overlap. */
  partitions: z.array(z.string().min(1)).optional(),
  /**
   * Pin each job to the nodes ncg's scheduler chose (its gang placement and the inventory it reports stay
   * true); false lets Slurm place the job anywhere in the partition.
   */
  pinNodes: flag().default(true),
  /** GPU type of nodes whose gres names no type (`gpu:4`). */
  defaultGpuType: z.string().min(1).default('gpu'),
  /** `pyxis`: commands of jobs with an image run through `srun --container-image` (enroot + pyxis). */
  containerRuntime: z.enum(['none', 'pyxis']).default('none'),
  /** Environment every job starts with (slurmrestd passes no environment of its own). */
  environment: z.record(z.string(), z.string()).default({ PATH: '/usr/local/bin:/usr/bin:/bin' }),
  /** How often the control loop should poll status; keep well below the cluster's MinJobAge. */
  pollIntervalSeconds: positive().default(10),
  /** Per HTTP request. */
  requestTimeoutSeconds: positive().default(10),
  /** Backoff hints on ClusterUnavailableError: doubles per consecutive failure up to the maximum. */
  backoff: z
    .strictObject({ initialSeconds: positive().default(1), maxSeconds: positive().default(60) })
    .default({ initialSeconds: 1, maxSeconds: 60 }),
});

/** A validated Slurm cluster configuration. */
export type SlurmClusterConfig = z.infer<typeof slurmClusterConfigSchema>;

/** What the config file holds before defaults are applied. */
export type SlurmClusterConfigInput = z.input<typeof slurmClusterConfigSchema>;

/** The account mapping of one institution or user. */
export type SlurmAccountMapping = z.infer<typeof mappingSchema>;
