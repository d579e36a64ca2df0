/** Response shapes of the job endpoints: a job, its events, why it is pending, pages and the queue. */
import { z } from 'zod';
import { isoTime, pageOf } from './common.js';
import { simBlockSchema } from './job-submit.js';

/** Every job state (DESIGN §4). */
export const jobStateSchema = z
  .enum(['queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'preempted'])
  .meta({ id: 'JobState', description: 'queued → dispatching → running → succeeded | failed | cancelled; running → preempted → queued.' });

/** What the job asked for, normalised (walltime in seconds, GPU types as the pools spell them). */
export const jobSpecViewSchema = z
  .strictObject({
    gpuTypes: z.array(z.string()).meta({ description: 'Acceptable GPU types; `["any"]` accepts every type.' }),
    nodes: z.number().int(),
    gpusPerNode: z.number().int(),
    cpusPerNode: z.number().int(),
    memoryGbPerNode: z.number(),
    walltimeSeconds: z.number().int(),
    qos: z.enum(['normal', 'high', 'preemptible']),
    preferredSite: z.string().optional(),
    image: z.string().optional(),
    command: z.array(z.string()).optional(),
    script: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    sim: simBlockSchema.optional(),
  })
  .meta({ id: 'JobSpec', description: 'The request as accepted.' });

/** The factor breakdown of a priority (each factor in [0, 1], before weights). */
export const priorityFactorsSchema = z
  .strictObject({ fairshare: z.number(), age: z.number(), qos: z.number(), size: z.number() })
  .meta({ id: 'PriorityFactors', description: 'Multifactor priority components (DESIGN §5.2), as of the last scheduling cycle.' });

/** Why a pending job waits. */
export const pendingViewSchema = z
  .strictObject({
    reason: z.string().meta({
      description: 'Priority, Resources, GpuTypeUnavailable, BudgetExhausted, ConcurrentLimit, Reserved, ClusterUnavailable, InvalidRequest — or NotYetScheduled before the first cycle.',
      examples: ['Resources'],
    }),
    message: z.string().meta({ description: 'A sentence for humans: what blocks the job and what would change it.' }),
    position: z.number().int().min(1).optional().meta({ description: '1-based position among pending jobs in priority order at the last cycle.' }),
    estimatedStart: isoTime.optional().meta({ description: 'When the job should start, where the scheduler can tell (a reservation or backfill estimate).' }),
    priority: z.number().optional(),
    factors: priorityFactorsSchema.optional(),
    seenByCycle: z.boolean().meta({ description: 'False until a scheduling cycle has looked at the job.' }),
  })
  .meta({ id: 'Pending', description: '"Why is my job pending?" as of the last scheduling cycle.' });

/** One state change of a job. */
export const jobEventViewSchema = z
  .strictObject({
    id: z.number().int(),
    from: jobStateSchema.optional(),
    to: jobStateSchema,
    at: isoTime,
    reason: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'JobEvent', description: 'A state transition; every transition is recorded.' });

/** A job. */
export const jobViewSchema = z
  .strictObject({
    id: z.string().meta({ examples: ['j-01JZ7Q8D6S4M3N2P1R0T9V8W7X'] }),
    name: z.string(),
    state: jobStateSchema,
    institution: z.string(),
    project: z.string(),
    user: z.string(),
    spec: jobSpecViewSchema,
    submittedAt: isoTime,
    startedAt: isoTime.optional(),
    endedAt: isoTime.optional(),
    cluster: z.string().optional().meta({ description: 'Cluster the job was placed on.' }),
    pool: z.string().optional(),
    nodeNames: z.array(z.string()).optional(),
    borrowed: z.boolean().meta({ description: 'Running above its institution’s nominal share on idle GPUs (reclaimable).' }),
    exitCode: z.number().int().optional(),
    reason: z.string().optional().meta({ description: 'Last reason recorded (a pending reason, or why it ended).' }),
    pending: pendingViewSchema.optional().meta({ description: 'Present while the job waits (queued or preempted).' }),
    events: z.array(jobEventViewSchema).optional().meta({ description: 'History, oldest first (GET /v1/jobs/{id} only).' }),
  })
  .meta({ id: 'Job', description: 'A job as ncg tracks it.' });

/** A page of jobs. */
export const jobPageSchema = pageOf(jobViewSchema, 'JobPage', 'Jobs, newest first.');

/** One line of the queue (`sprio`). */
export const queueEntrySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    state: jobStateSchema,
    institution: z.string(),
    project: z.string(),
    user: z.string(),
    qos: z.enum(['normal', 'high', 'preemptible']),
    gpuTypes: z.array(z.string()),
    nodes: z.number().int(),
    gpusPerNode: z.number().int(),
    submittedAt: isoTime,
    pending: pendingViewSchema,
  })
  .meta({ id: 'QueueEntry', description: 'A pending job with its reason, position and priority factors.' });

/** The queue. */
export const queueViewSchema = z
  .strictObject({
    items: z.array(queueEntrySchema).meta({ description: 'Pending jobs in priority order; jobs not yet seen by a cycle last, oldest first.' }),
    total: z.number().int().meta({ description: 'Pending jobs matching the filter in all.' }),
  })
  .meta({ id: 'Queue', description: 'The national queue in priority order.' });

/** Response body types. */
export type JobView = z.input<typeof jobViewSchema>;
export type QueueView = z.input<typeof queueViewSchema>;
export type PendingView = z.input<typeof pendingViewSchema>;
