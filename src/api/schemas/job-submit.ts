/**
 * The job submission body: one zod schema that REST and gRPC validate with and that the OpenAPI
 * document is generated from, so the documentation cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../../domain/duration.js';

const id = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only');
const gpuTypeName = z.string().trim().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lower-case GPU type such as h100-80gb, or any');

/** Upper bounds that no real request exceeds; they keep one request from asking the impossible. */
export const SUBMIT_LIMITS = { maxNodes: 1024, maxGpusPerNode: 64, maxWalltimeSeconds: 30 * 86_400, maxEnv: 200, maxScriptBytes: 256 * 1024 } as const;

const walltime = z
  .union([z.number(), z.string()])
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
  .meta({ description: 'Walltime limit: seconds, or a duration like "90m", "1h30m", "2d", "01:30:00".', examples: ['1h', 3600] });

/** The optional behaviour of a job on simulated clusters. */
export const simBlockSchema = z.strictObject({
  durationSeconds: z.number().positive().max(SUBMIT_LIMITS.maxWalltimeSeconds * 2),
  exitCode: z.number().int().min(0).max(255).optional(),
  gpuUtilPct: z.number().min(0).max(100).optional(),
});

/** POST /v1/jobs body. */
export const jobSubmitSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128).regex(/^[^\u0000-\u001f]+$/, 'no control characters'),
    project: id.meta({ description: 'Project id the job is charged to.' }),
    gpuType: z
      .union([gpuTypeName, z.array(gpuTypeName).min(1).max(16)])
      .default('any')
      .meta({ description: 'A GPU type, `any`, or a list of acceptable types.' }),
    nodes: z.number().int().min(1).max(SUBMIT_LIMITS.maxNodes).default(1),
    gpusPerNode: z.number().int().min(1).max(SUBMIT_LIMITS.maxGpusPerNode).default(1),
    cpusPerNode: z.number().int().min(1).max(1024).default(8),
    memoryGbPerNode: z.number().positive().max(16_384).default(32),
    walltime,
    qos: z.enum(['normal', 'high', 'preemptible']).default('normal'),
    preferredSite: id.optional(),
    image: z.string().trim().min(1).max(512).optional(),
    command: z.array(z.string().max(4096)).min(1).max(256).optional(),
    script: z.string().min(1).max(SUBMIT_LIMITS.maxScriptBytes).optional(),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names are letters, digits and _').max(128), z.string().max(8192))
      .refine((e) => Object.keys(e).length <= SUBMIT_LIMITS.maxEnv, `at most ${SUBMIT_LIMITS.maxEnv} environment variables`)
      .optional(),
    sim: simBlockSchema.optional(),
  })
  .refine((b) => !(b.command && b.script), { message: 'give either command or script, not both', path: ['script'] })
  .meta({ id: 'JobSubmit', description: 'A training job: what it needs, for how long, and what to run.' });

/** A validated submission (walltime in seconds, defaults applied). */
export type JobSubmit = z.output<typeof jobSubmitSchema>;
