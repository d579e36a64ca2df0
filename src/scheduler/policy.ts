/**
 * Scheduling policies: the default multifactor Fair Tree policy and the baselines the what-if simulator
 * compares it with. All values are plain data so config (`scheduler.*`) can override any of them.
 */
import type { SchedulerPolicy } from './types.js';

const DAY_SECONDS = 86_400;

/**
 * The default policy (DESIGN §5).
 *
 * Weights, and why:
 * - fairshare 10000: fair share is the primary signal. Fair Tree factors are ranks normalised to (0, 1], so
 *   with thousands of users one rank step is worth only a few points; a large weight keeps that granularity
 *   in the (integer) priority (Slurm's guidance is to make PriorityWeightFairshare the largest weight).
 * - age 1000: a job that waited `maxAgeSeconds` gains a tenth of the fair-share range — enough to order
 *   users of similar standing by waiting time and to lift long waiters, never enough to overturn a large
 *   fair-share gap.
 * - qos 2000: `high` (factor 1) is worth two full age ranges: urgent work jumps the queue of its peers but
 *   a heavy user's `high` job still trails a light user's `normal` job when their fair share is far apart.
 * - size 500: a small nudge to large gangs, which are the hardest to place and the first to starve.
 *
 * Half-life 7 days (Slurm's PriorityDecayHalfLife default), age capped at 7 days, backfill reservations for
 * the first 50 blocked jobs (Slurm's main scheduler looks at 100 jobs, its backfill at a few hundred; ncg
 * still considers every job for starting now — K only bounds how many get a promised start).
 */
export const defaultPolicy: SchedulerPolicy = {
  halfLifeSeconds: 7 * DAY_SECONDS,
  ordering: 'priority',
  weights: { fairshare: 10_000, age: 1_000, qos: 2_000, size: 500 },
  maxAgeSeconds: 7 * DAY_SECONDS,
  qosFactor: { high: 1, normal: 0.5, preemptible: 0 },
  backfillDepth: 50,
  borrowing: true,
  reclaim: true,
  nominalShareBy: 'total',
};

/**
 * Baseline: first come, first served. Submit order (then id), no fair share, no backfill: once a job is
 * blocked, the pools it could use take no later job this cycle. Borrowing stays on so the baseline is
 * work-conserving; reclaim is off because it exists to enforce shares.
 */
export const fifoPolicy: SchedulerPolicy = {
  ...defaultPolicy,
  ordering: 'fifo',
  weights: { fairshare: 0, age: 0, qos: 0, size: 0 },
  backfillDepth: 0,
  reclaim: false,
};

/** Baseline: multifactor Fair Tree priority with borrowing and reclaim, but strict priority order (no backfill). */
export const fairshareNoBackfillPolicy: SchedulerPolicy = {
  ...defaultPolicy,
  backfillDepth: 0,
};

/** Default of SchedulerPolicy.reclaimCooldownSeconds: a preempted job stays off lent GPUs this long. */
export const DEFAULT_RECLAIM_COOLDOWN_SECONDS = 600;

/** The reclaim cooldown of `policy`, milliseconds. */
export function reclaimCooldownMs(policy: Pick<SchedulerPolicy, 'reclaimCooldownSeconds'>): number {
  return Math.max(0, policy.reclaimCooldownSeconds ?? DEFAULT_RECLAIM_COOLDOWN_SECONDS) * 1000;
}
