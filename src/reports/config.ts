/**
 * Configuration of reports (the server config's `reports:` key): snapshot schedules, how often rollups
 * and cluster health are refreshed, the institutions-served targets, and the national GPU capacity that
 * is known but not under ncg (for the consolidation KPI; empty by default, so the managed share is 100 %
 * of what is registered).
 */
import cron from 'node-cron';
import { z } from 'zod';

const num = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().finite());
const bool = () => z.preprocess((v) => (typeof v === 'string' ? !['0', 'false', 'no', 'off'].includes(v.trim().toLowerCase()) : v), z.boolean());

/** One snapshot schedule: which calendar period to snapshot, and when (a cron expression, 5 or 6 fields). */
export const snapshotScheduleSchema = z.strictObject({
  period: z.enum(['month', 'quarter', 'year']),
  cron: z.string().refine((c) => cron.validate(c), 'expected a cron expression, e.g. "5 0 1 * *"'),
});

const DEFAULT_SCHEDULES = [
  // Just after each month and each quarter closes (UTC): the period that just ended is snapshotted.
  { period: 'month' as const, cron: '5 0 1 * *' },
  { period: 'quarter' as const, cron: '15 0 1 1,4,7,10 *' },
];

const snapshots = z.strictObject({
  enabled: bool().default(true),
  schedules: z.array(snapshotScheduleSchema).default(DEFAULT_SCHEDULES),
  timezone: z.string().min(1).default('UTC'),
  /** Most missed periods per schedule written at start (a long outage does not flood the table). */
  catchUpLimit: num().pipe(z.number().int().min(0)).default(24),
});

/** Known national GPU systems outside ncg. */
export const unmanagedSystemSchema = z.strictObject({
  name: z.string().min(1),
  gpuType: z.string().min(1),
  gpus: num().pipe(z.number().int().min(0)),
  bf16Tflops: num().pipe(z.number().min(0)),
});

/** The `reports:` configuration. */
export const reportsConfigSchema = z.strictObject({
  snapshots: snapshots.default(snapshots.parse({})),
  /** Seconds between rollup refreshes (and schedule catch-up checks). */
  rollupIntervalSeconds: num().pipe(z.number().positive()).default(60),
  /** Seconds between cluster health samples. */
  healthSampleSeconds: num().pipe(z.number().int().positive()).default(300),
  /**
   * Days "up" health samples are kept (the cluster page shows the last day). Samples of a cluster down
   * (offline or unreachable) are kept for ever: they are the down time behind GPU-hours available.
   */
  healthRetentionDays: num().pipe(z.number().int().min(1)).default(90),
  /** The policy's targets for institutions served. */
  institutionTargets: z.array(num().pipe(z.number().int().positive())).default([100, 150]),
  unmanagedCapacity: z.array(unmanagedSystemSchema).default([]),
});

/** A validated `reports:` configuration. */
export type ReportsConfig = z.infer<typeof reportsConfigSchema>;

/** The defaults (what an absent `reports:` key means). */
export const defaultReportsConfig: ReportsConfig = reportsConfigSchema.parse({});

/** The `reports:` section of a whole configuration (absent → defaults). */
export function reportsConfigOf(config: object): ReportsConfig {
  return reportsConfigSchema.parse((config as { reports?: unknown }).reports ?? {});
}
