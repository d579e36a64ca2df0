/**
 * The YAML schema of synthetic workload generators. Example:
 *   kind: synthetic
 *   jobs: 2000                      # jobs from the base arrival process
 *   arrival: { process: poisson, ratePerHour: 40 }
 *   duration: { distribution: lognormal, medianSeconds: 3600, sigma: 1.2, maxSeconds: 172800 }
 *   walltimeFactor: 1.5             # walltime = duration × factor (users over-ask)
 *   gpus: [{ gpus: 1, weight: 6 }, { gpus: 8, weight: 3 }, { gpus: 32, weight: 1 }]
 *   institutions: [{ id: a, weight: 3, users: 5 }, { id: b, weight: 1 }]   # default: the grid's, by shares
 *   bursts: [{ atHours: 24, durationHours: 2, ratePerHour: 100, institution: b }]
 */
import { z } from 'zod';

const positive = z.number().positive();

const durationSchema = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('lognormal'), medianSeconds: positive, sigma: z.number().nonnegative(), minSeconds: positive.optional(), maxSeconds: positive.optional() }),
  z.strictObject({ distribution: z.literal('exponential'), meanSeconds: positive, minSeconds: positive.optional(), maxSeconds: positive.optional() }),
  z.strictObject({ distribution: z.literal('uniform'), minSeconds: positive, maxSeconds: positive }),
  z.strictObject({ distribution: z.literal('fixed'), seconds: positive }),
]);

/** A validated generator spec. */
export const syntheticSchema = z.strictObject({
  kind: z.literal('synthetic').optional(),
  /** Default seed; `--seed` overrides it. */
  seed: z.number().int().optional(),
  /** ISO instant of simulated second 0. */
  start: z.string().datetime({ offset: true }).optional(),
  jobs: z.number().int().positive(),
  arrival: z.strictObject({
    process: z.enum(['poisson', 'uniform']),
    ratePerHour: positive,
  }),
  duration: durationSchema,
  walltimeFactor: z.number().min(1).default(1),
  gpus: z.array(z.strictObject({ gpus: z.number().int().positive(), nodes: z.number().int().positive().optional(), weight: positive })).min(1),
  gpuTypes: z.array(z.strictObject({ type: z.string().min(1), weight: positive })).min(1).optional(),
  institutions: z.array(z.strictObject({ id: z.string().min(1), weight: positive, users: z.number().int().positive().default(1) })).min(1).optional(),
  bursts: z.array(z.strictObject({
    atHours: z.number().nonnegative(),
    durationHours: positive,
    /** Extra arrivals per hour during the burst, on top of the base process. */
    ratePerHour: positive,
    /** All burst jobs come from this institution; default: the institution mix. */
    institution: z.string().min(1).optional(),
  })).default([]),
});

/** A synthetic workload spec after validation and defaults. */
export type SyntheticSpec = z.output<typeof syntheticSchema>;

/** The shape of a duration distribution in a spec. */
export type DurationSpec = z.output<typeof durationSchema>;
