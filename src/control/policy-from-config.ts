/**
 * The scheduling policy from configuration (`scheduler.*`): the default policy (scheduler/policy.ts) with
 * the configured weights, half-life, age cap, backfill depth and switches laid over it. Config speaks
 * days where operators think in days; the core speaks seconds.
 */
import type { Config } from '../config/index.js';
import { defaultPolicy } from '../scheduler/policy.js';
import type { SchedulerPolicy } from '../scheduler/types.js';

const DAY_SECONDS = 86_400;

/** Map `config.scheduler` onto a SchedulerPolicy. */
export function policyFromConfig(scheduler: Config['scheduler']): SchedulerPolicy {
  return {
    ...defaultPolicy,
    halfLifeSeconds: scheduler.halfLifeDays * DAY_SECONDS,
    maxAgeSeconds: scheduler.maxAgeDays * DAY_SECONDS,
    weights: { ...scheduler.weights },
    backfillDepth: scheduler.backfillDepth,
    borrowing: scheduler.borrowing,
    reclaim: scheduler.reclaim,
    nominalShareBy: scheduler.nominalShareBy,
    reclaimCooldownSeconds: scheduler.reclaimCooldownSeconds,
  };
}
