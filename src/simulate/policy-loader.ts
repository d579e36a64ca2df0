/**
 * Policy files (YAML, validated) and the named baselines. A policy file starts from a baseline (`base`,
 * default `default`) and overrides what it names. Example:
 *   name: short-memory
 *   base: default
 *   halfLifeDays: 1
 *   weights: { fairshare: 10000, age: 2000 }
 *   backfillDepth: 10
 *   borrowing: true
 *   reclaim: false
 *   reclaimCooldownSeconds: 600          # a preempted job stays off lent GPUs this long (0: off)
 *   shares: { big: 1, small: 1 }        # override institution shares (default: the grid's)
 *   budgets: none                        # none | grid | { periodDays, kind, gracePct, defaultGpuHours, institutions: { id: gpuHours } }
 *   cycleIntervalSeconds: 60             # at most one scheduling cycle per minute of simulated time
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { defaultPolicy, fairshareNoBackfillPolicy, fifoPolicy } from '../scheduler/policy.js';
import type { SchedulerPolicy } from '../scheduler/types.js';
import { readYaml } from './yaml-input.js';

/** How budgets are set in a simulation. */
export type BudgetMode =
  | { mode: 'none' }
  | { mode: 'grid' }
  | { mode: 'table'; periodDays?: number; kind: 'hard' | 'soft'; gracePct: number; defaultGpuHours?: number; institutions: Record<string, number> };

/** A policy as the simulator runs it: the core's policy plus the simulator's own switches. */
export interface SimPolicy {
  name: string;
  scheduler: SchedulerPolicy;
  /** Institution shares overriding the grid's. */
  shares: Record<string, number>;
  budgets: BudgetMode;
  /** Minimum simulated seconds between two cycles (0: a cycle at every instant something happens). */
  cycleIntervalSeconds: number;
}

/** The baselines usable by name instead of a file. */
export const NAMED_POLICIES: Record<string, SchedulerPolicy> = {
  default: defaultPolicy,
  fifo: fifoPolicy,
  'fairshare-no-backfill': fairshareNoBackfillPolicy,
};

/** Budgets of the named baselines: none, so comparisons isolate ordering (a policy file may turn them on). */
const NAMED_BUDGETS: BudgetMode = { mode: 'none' };

const weightsSchema = z.strictObject({ fairshare: z.number().nonnegative(), age: z.number().nonnegative(), qos: z.number().nonnegative(), size: z.number().nonnegative() }).partial();
const policySchema = z.strictObject({
  name: z.string().min(1).optional(),
  base: z.enum(['default', 'fifo', 'fairshare-no-backfill']).default('default'),
  halfLifeDays: z.number().positive().optional(),
  halfLifeSeconds: z.number().positive().optional(),
  ordering: z.enum(['priority', 'fifo']).optional(),
  weights: weightsSchema.optional(),
  maxAgeDays: z.number().positive().optional(),
  backfillDepth: z.number().int().nonnegative().optional(),
  borrowing: z.boolean().optional(),
  reclaim: z.boolean().optional(),
  nominalShareBy: z.enum(['total', 'gpuType']).optional(),
  reclaimCooldownSeconds: z.number().nonnegative().optional(),
  shares: z.record(z.string(), z.number().nonnegative()).default({}),
  budgets: z.union([
    z.enum(['none', 'grid']),
    z.strictObject({
      periodDays: z.number().positive().optional(),
      kind: z.enum(['hard', 'soft']).default('hard'),
      gracePct: z.number().nonnegative().default(0),
      defaultGpuHours: z.number().nonnegative().optional(),
      institutions: z.record(z.string(), z.number().nonnegative()).default({}),
    }),
  ]).optional(),
  cycleIntervalSeconds: z.number().nonnegative().default(0),
});

/** A named baseline as a SimPolicy. */
export function namedPolicy(name: string): SimPolicy {
  const scheduler = NAMED_POLICIES[name];
  if (!scheduler) throw DomainError.invalid(`unknown policy ${JSON.stringify(name)}: use ${Object.keys(NAMED_POLICIES).join(', ')} or a YAML file`);
  return { name, scheduler, shares: {}, budgets: NAMED_BUDGETS, cycleIntervalSeconds: 0 };
}

/** Parse a policy file's text. */
export function parsePolicy(text: string, fileName: string): SimPolicy {
  const f = readYaml(text, policySchema, fileName);
  if (f.halfLifeDays !== undefined && f.halfLifeSeconds !== undefined) {
    throw DomainError.invalid(`${fileName}: halfLifeDays, halfLifeSeconds: give one of them`, [{ path: 'halfLifeDays', message: 'conflicts with halfLifeSeconds' }]);
  }
  const base = NAMED_POLICIES[f.base]!;
  const scheduler: SchedulerPolicy = {
    ...base,
    halfLifeSeconds: f.halfLifeSeconds ?? (f.halfLifeDays !== undefined ? f.halfLifeDays * 86400 : base.halfLifeSeconds),
    ordering: f.ordering ?? base.ordering,
    weights: { ...base.weights, ...f.weights },
    maxAgeSeconds: f.maxAgeDays !== undefined ? f.maxAgeDays * 86400 : base.maxAgeSeconds,
    backfillDepth: f.backfillDepth ?? base.backfillDepth,
    borrowing: f.borrowing ?? base.borrowing,
    reclaim: f.reclaim ?? base.reclaim,
    nominalShareBy: f.nominalShareBy ?? base.nominalShareBy,
    ...(f.reclaimCooldownSeconds !== undefined ? { reclaimCooldownSeconds: f.reclaimCooldownSeconds } : {}),
  };
  const budgets: BudgetMode = f.budgets === undefined ? NAMED_BUDGETS
    : typeof f.budgets === 'string' ? { mode: f.budgets }
    : { mode: 'table', ...f.budgets };
  return { name: f.name ?? fileName.replace(/^.*\//, '').replace(/\.ya?ml$/, ''), scheduler, shares: f.shares, budgets, cycleIntervalSeconds: f.cycleIntervalSeconds };
}
