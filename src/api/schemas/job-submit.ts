/**
 * The job submission body: one zod schema that REST and gRPC validate with and that the OpenAPI
 * document is generated from, so the documentation cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../../domain/duration.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text PostgreSQL can store: jsonb refuses NUL (\u0000) and lone UTF-16 surrogates, and a refusal there
 * would surface as a database error instead of a 400 naming the field.
 */
export function storableText(max: number, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s), 'must be valid Unicode text without NUL characters');
}

const id = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only');
// Case is not significant: the service matches types case-insensitively and stores the pool's spelling.
const gpuTypeName = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a GPU type such as h100-80gb, or any');
// zod skips a `__proto__` key of a record silently; parseOrInvalid (zod-issues.ts) reports it instead.
const envName = z.string().max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names are letters, digits and _');

/** Upper bounds that no real request exceeds; they keep one request from asking the impossible. */
export const SUBMIT_LIMITS = { maxNodes: 1024, maxGpusPerNode: 64, maxWalltimeSeconds: 30 * 86_400, maxEnv: 200, maxScriptBytes: 256 * 1024 } as const;

const walltime = z
  .union([z.number(), z.string().max(64)], { error: 'expected seconds (a number) or a duration string like "1h30m"' })
  .transform((v, ctx) => {
    const s = parseDurationSeconds(v);
    if (s === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a positive duration: seconds, or like "90m", "1h30m", "2d", "01:30:00"' });
      return z.NEVER;
    }
    if (s > SUBMIT_LIMITS.maxWalltimeSeconds) {
      ctx.addIssue({ code: 'custom', message: `walltime may be at most ${SUBMIT_LIMITS.maxWalltimeSeconds / 86_400} days` });
      return z.NEVER;
    }
    return s;
  })
  .meta({ description: 'Walltime limit: seconds, or a duration like "90m", "1h30m", "2d", "01:30:00" (at most 30 days).', examples: ['1h', 3600] });

/** The optional behaviour of a job on simulated clusters. */
export const simBlockSchema = z
  .strictObject({
    durationSeconds: z.number().positive().max(SUBMIT_LIMITS.maxWalltimeSeconds * 2).meta({ description: 'Simulated run time, seconds.' }),
    exitCode: z.number().int().min(0).max(255).optional().meta({ description: 'Exit code at the end of the run (0 = success).' }),
    gpuUtilPct: z.number().min(0).max(100).optional().meta({ description: 'GPU utilisation while running, percent.' }),
  })
  .meta({ id: 'SimBehaviour', description: 'How the job behaves on a simulated cluster (ignored by real clusters).' });

/** POST /v1/jobs body. */
export const jobSubmitSchema = z
  .strictObject({
    name: storableText(128)
      .trim()
      .min(1)
      .regex(/^\P{Cc}+$/u, 'no control characters')
      .meta({ description: 'A short name for the job.', examples: ['resnet50-baseline'] }),
    project: id.meta({ description: 'Project id the job is charged to; the job belongs to its institution.', examples: ['lums-p1'] }),
    gpuType: z
      .union([gpuTypeName, z.array(gpuTypeName).min(1).max(16)], { error: 'expected a GPU type such as h100-80gb, `any`, or a list of GPU types' })
      .default('any')
      .meta({ description: 'A GPU type, `any`, or a list of acceptable types (case-insensitive).', examples: ['h100-80gb', ['a100-80gb', 'h100-80gb']] }),
    nodes: z.number().int().min(1).max(SUBMIT_LIMITS.maxNodes).default(1).meta({ description: 'Nodes of the gang; all start together or none does.' }),
    gpusPerNode: z.number().int().min(1).max(SUBMIT_LIMITS.maxGpusPerNode).default(1).meta({ description: 'GPUs on each node.' }),
    cpusPerNode: z.number().int().min(1).max(1024).default(8).meta({ description: 'CPU cores on each node.' }),
    memoryGbPerNode: z.number().positive().max(16_384).default(32).meta({ description: 'Memory on each node, GB.' }),
    walltime,
    qos: z.enum(['normal', 'high', 'preemptible']).default('normal').meta({ description: '`high` is weighted up; `preemptible` runs only on lent capacity.' }),
    preferredSite: id.optional().meta({ description: 'Site id to prefer among pools that fit equally well.', examples: ['coe-islamabad'] }),
    image: storableText(512).trim().min(1).optional().meta({ description: 'Container image (Kubernetes clusters).', examples: ['nvcr.io/nvidia/pytorch:24.05-py3'] }),
    command: z.array(storableText(4096)).min(1).max(256).optional().meta({ description: 'Command and arguments.', examples: [['python', 'train.py']] }),
    script: storableText(SUBMIT_LIMITS.maxScriptBytes, 1).optional().meta({ description: 'A batch script (Slurm clusters); give either command or script.' }),
    env: z
      .record(envName, storableText(8192))
      .refine((e) => Object.keys(e).length <= SUBMIT_LIMITS.maxEnv, `at most ${SUBMIT_LIMITS.maxEnv} environment variables`)
      .optional()
      .meta({ description: 'Environment variables.', examples: [{ EPOCHS: '10' }] }),
    sim: simBlockSchema.optional(),
  })
  .refine((b) => !(b.command && b.script), { message: 'give either command or script, not both', path: ['script'] })
  .meta({
    id: 'JobSubmit',
    description: 'A training job: what it needs, for how long, and what to run.',
    examples: [{ name: 'demo', project: 'lums-p1', gpuType: 'any', gpusPerNode: 2, walltime: '1h', command: ['python', 'train.py'], sim: { durationSeconds: 120 } }],
  });

/** A validated submission (walltime in seconds, defaults applied). */
export type JobSubmit = z.output<typeof jobSubmitSchema>;
