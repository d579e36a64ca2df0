/**
 * The `demo:` configuration: a built-in workload so the embedded grid (and its dashboard) is alive from
 * the first minute. `load` unset means "on when the database is embedded"; NCG_DEMO_LOAD=0 turns it off.
 */
import { z } from 'zod';

const bool = () => z.preprocess((v) => (typeof v === 'string' ? !['0', 'false', 'no', 'off'].includes(v.trim().toLowerCase()) : v), z.boolean());
const num = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().finite());

/** The `demo:` configuration. */
export const demoConfigSchema = z.strictObject({
  /** Submit a steady trickle of jobs (default: only with the embedded database). */
  load: bool().optional(),
  /** Mean jobs submitted per minute (wall clock). */
  jobsPerMinute: num().pipe(z.number().positive().max(6000)).default(30),
  /**
   * On the first start with the demo load on, write months of finished jobs (from the start of the previous
   * quarter) so reports and charts have a past. Off: NCG_DEMO_HISTORY=0.
   */
  history: bool().default(true),
  /** Seed of the workload's choices (same seed, same sequence of jobs). */
  seed: num().pipe(z.number().int()).default(2026),
});

/** A validated `demo:` configuration. */
export type DemoConfig = z.infer<typeof demoConfigSchema>;

/** The `demo:` section of a whole configuration (absent → defaults). */
export function demoConfigOf(config: object): DemoConfig {
  return demoConfigSchema.parse((config as { demo?: unknown }).demo ?? {});
}

/** Whether the demo load runs: as configured, else only with the embedded database. */
export function demoLoadOn(config: DemoConfig, embedded: boolean): boolean {
  return config.load ?? embedded;
}
