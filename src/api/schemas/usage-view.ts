/**
 * Response shapes of the usage endpoints (src/api/rest/routes/usage.ts, built by present-usage.ts):
 * GPU-hours from the ledger, allocations' budget state and the meter's discrepancies.
 */
import { z } from 'zod';
import { isoTime, pageOf } from './common.js';

/** One group of a usage answer. */
export const usageRowSchema = z
  .strictObject({
    key: z.string().meta({ description: 'The group: a day (2026-10-01), week start, month, or an id, depending on `groupBy`; `total` for the total.' }),
    gpuHours: z.number(),
    gpuSeconds: z.number(),
    measuredGpuSeconds: z.number().meta({ description: 'From Prometheus.' }),
    estimatedGpuSeconds: z.number().meta({ description: 'From job start/end while Prometheus was unreachable (reconciled later).' }),
  })
  .meta({ id: 'UsageRow', description: 'GPU usage of one group.' });

/** An allocation's budget state. */
export const allocationUsageSchema = z
  .strictObject({
    allocation: z.string(),
    institution: z.string(),
    project: z.string().optional(),
    kind: z.enum(['hard', 'soft']),
    periodStart: isoTime,
    periodEnd: isoTime,
    awardedGpuHours: z.number(),
    usedGpuHours: z.number(),
    remainingGpuHours: z.number(),
    burnRateGpuHoursPerDay: z.number(),
    projectedExhaustion: isoTime.nullable().meta({ description: 'When the budget runs out at the current burn rate; null when it does not.' }),
    exhaustsBeforePeriodEnd: z.boolean(),
    exhausted: z.boolean(),
  })
  .meta({ id: 'AllocationUsage', description: 'Awarded, used and remaining GPU-hours of an allocation, its burn rate and projected exhaustion.' });

/** GET /v1/usage as JSON. */
export const usageAnswerSchema = z
  .strictObject({
    from: isoTime,
    to: isoTime,
    groupBy: z.enum(['day', 'week', 'month', 'project', 'user', 'cluster', 'gpuType', 'institution']),
    filter: z
      .strictObject({ institution: z.string().optional(), project: z.string().optional(), user: z.string().optional(), cluster: z.string().optional() })
      .meta({ description: 'The filter as applied, narrowed to what the caller may see.' }),
    rows: z.array(usageRowSchema),
    total: usageRowSchema,
    allocations: z.array(allocationUsageSchema).optional().meta({ description: 'Budget state of the institution’s allocations, when the answer is about one institution.' }),
  })
  .meta({ id: 'Usage', description: 'GPU-hours from the ledger, grouped.' });

/** A metering discrepancy. */
export const discrepancySchema = z
  .strictObject({
    id: z.number().int(),
    cluster: z.string(),
    kind: z.enum(['unknown-job', 'ended-job']).meta({ description: 'GPU use with no job behind it, or after the job ended.' }),
    ref: z.string().meta({ description: 'What the metrics named (pod, Slurm job id).' }),
    job: z.string().optional(),
    windowStart: isoTime,
    windowEnd: isoTime,
    gpuSeconds: z.number(),
    detectedAt: isoTime,
  })
  .meta({ id: 'Discrepancy', description: 'GPU use the meter saw without a running job to charge.' });

/** A page of discrepancies. */
export const discrepancyPageSchema = pageOf(discrepancySchema, 'DiscrepancyPage', 'Discrepancies, most recent first.');
