/**
 * Metering configuration (`metering:` in the server config). Every key has a default, so `{}` is a
 * working configuration against a Prometheus on 127.0.0.1:9090. Query templates live in profiles; a
 * cluster uses the profile of its kind (a sim cluster: of its `config.jobLabelStyle`) unless
 * `clusters.<id>.profile` names another. Profiles given here replace the default of the same name.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_PROFILES, type QueryProfile } from './default-queries.js';
import { LABEL_NAME, unknownPlaceholders } from './templates.js';

// Numbers and booleans may arrive as strings (environment, --set flags), as in src/config/schema.ts.
const num = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ error: 'expected a number' }).finite());
const int = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ error: 'expected a whole number' }).int('expected a whole number'));
const bool = () => z.preprocess((v) => (typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase()) : v), z.boolean({ error: 'expected true or false' }));

const template = z.string().min(1).superRefine((t, ctx) => {
  const unknown = unknownPlaceholders(t);
  if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.map((u) => `$${u}`).join(', ')}` });
});
const labelName = z.string().regex(LABEL_NAME, 'expected a Prometheus label name');

const profileSchema = z.strictObject({ jobLabel: labelName, usage: template, utilisation: template, coverage: template });

const prometheusSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' }).default('http://127.0.0.1:9090'),
  /** Per HTTP attempt. */
  timeoutMs: int().pipe(z.number().min(100)).default(10_000),
  /** Further attempts after a failure that may pass (unreachable, 5xx, timeout). */
  retries: int().pipe(z.number().min(0).max(10)).default(3),
  retryBackoffMs: int().pipe(z.number().min(0)).default(500),
  /** Extra request headers (e.g. Authorization for a proxy in front of Prometheus). */
  headers: z.record(z.string(), z.string()).default({}),
});

const clusterOverride = z.strictObject({
  profile: z.string().min(1).optional(),
  /** Value of `clusterLabel` on this cluster's series; default the cluster id. */
  labelValue: z.string().min(1).optional(),
});

/** The `metering:` configuration. */
export const meteringConfigSchema = z
  .strictObject({
    /** Run the meter on `schedule` in the server. `ncg meter run` works either way. */
    enabled: bool().default(false),
    prometheus: prometheusSchema.default(prometheusSchema.parse({})),
    /** Length of a ledger window and the query_range step; windows are aligned to multiples of it. */
    stepSeconds: int().pipe(z.number().min(1).max(86_400)).default(60),
    /** Subquery resolution inside a window; must divide the step. At least the scrape interval. */
    resolutionSeconds: int().pipe(z.number().min(1)).default(15),
    /** Samples older than this at a subquery point do not count (≥ 2 × the scrape interval). */
    freshnessSeconds: num().pipe(z.number().positive()).default(30),
    /** Windows are metered once they ended this long ago, so their last scrapes have landed. */
    lagSeconds: int().pipe(z.number().min(0)).default(120),
    /** How far back the first scheduled run (with nothing metered yet) starts. */
    lookbackSeconds: int().pipe(z.number().min(0)).default(3_600),
    /** Windows per query_range request (and per ledger transaction). */
    maxWindowsPerQuery: int().pipe(z.number().min(1).max(10_000)).default(240),
    /** Pending windows are retried this long, then their estimates become final. */
    pendingMaxAgeSeconds: int().pipe(z.number().min(0)).default(7 * 86_400),
    /** Use measured this long after a job's end (or later) is reported as a discrepancy. */
    endedJobGraceSeconds: int().pipe(z.number().min(0)).default(60),
    /** node-cron expression of the scheduled run (default every minute). */
    schedule: z.string().min(1).refine((e) => cron.validate(e), 'expected a cron expression, e.g. "* * * * *"').default('* * * * *'),
    /** Label that tells clusters apart on every series (a target label set by the scrape config). */
    clusterLabel: labelName.default('ncg_cluster'),
    /** Clusters metered at once. */
    concurrency: int().pipe(z.number().min(1).max(64)).default(4),
    /** Profile per cluster kind; `sim` clusters pick by their label style. */
    kindProfiles: z.strictObject({ slurm: z.string().default('slurm'), kubernetes: z.string().default('kubernetes') }).default({ slurm: 'slurm', kubernetes: 'kubernetes' }),
    profiles: z.record(z.string(), profileSchema).default({}),
    clusters: z.record(z.string(), clusterOverride).default({}),
  })
  .superRefine((c, ctx) => {
    if (c.stepSeconds % c.resolutionSeconds !== 0) {
      ctx.addIssue({ code: 'custom', path: ['resolutionSeconds'], message: `must divide stepSeconds (${c.stepSeconds})` });
    }
    const known = new Set([...Object.keys(DEFAULT_PROFILES), ...Object.keys(c.profiles)]);
    for (const [kind, name] of Object.entries(c.kindProfiles)) {
      if (!known.has(name)) ctx.addIssue({ code: 'custom', path: ['kindProfiles', kind], message: `no profile named ${JSON.stringify(name)}` });
    }
    for (const [id, o] of Object.entries(c.clusters)) {
      if (o.profile !== undefined && !known.has(o.profile)) ctx.addIssue({ code: 'custom', path: ['clusters', id, 'profile'], message: `no profile named ${JSON.stringify(o.profile)}` });
    }
  });

/** A validated metering configuration. */
export type MeteringConfig = z.infer<typeof meteringConfigSchema>;

/** The defaults (what `metering: {}` means). */
export function defaultMeteringConfig(): MeteringConfig {
  return meteringConfigSchema.parse({});
}

/** Every profile: the defaults with the configured ones on top. */
export function profilesOf(config: MeteringConfig): Record<string, QueryProfile> {
  return { ...DEFAULT_PROFILES, ...config.profiles };
}
