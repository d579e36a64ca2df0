/**
 * The demo workload: a steady trickle of realistic jobs from many institutions through the JobService (the
 * same path REST and gRPC take: validation, authorisation, the queue), with `sim` durations, so the
 * embedded grid shows queues, waits, utilisation and institutions served within minutes.
 *
 * Realistic mix: mostly 1–8 GPU fine-tuning and inference jobs of minutes, some multi-node training
 * gangs, a few long jobs; GPU type often `any`, sometimes a specific one; a few jobs fail. Institutions
 * with larger shares submit more (members are drawn uniformly, and larger institutions have more projects).
 */
import type { Principal } from '../domain/principal.js';
import type { JobService } from '../services/job-service.js';
import { researcherMemberships, type DemoMember } from '../store/repositories/demo-people.js';
import type { Db } from '../store/rows.js';
import type { DemoConfig } from './config.js';

/** A small deterministic PRNG (mulberry32): the demo repeats itself for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHAPES = [
  { w: 30, name: 'finetune', nodes: 1, gpus: [1, 2, 4], minutes: [3, 20] },
  { w: 25, name: 'inference-eval', nodes: 1, gpus: [1], minutes: [1, 8] },
  { w: 20, name: 'train', nodes: 1, gpus: [4, 8], minutes: [10, 45] },
  { w: 10, name: 'pretrain-gang', nodes: 2, gpus: [8], minutes: [20, 60] },
  { w: 10, name: 'sweep', nodes: 1, gpus: [1, 2], minutes: [2, 10] },
  { w: 5, name: 'long-train', nodes: 4, gpus: [4, 8], minutes: [60, 180] },
] as const;
const TYPES = ['any', 'any', 'any', 'h100-80gb', 'a100-80gb', 'a100-40gb', 'l40s'];

/** One job body the demo would submit, from a random source. */
export function demoJob(rand: () => number, m: DemoMember, n: number): Record<string, unknown> {
  const total = SHAPES.reduce((s, x) => s + x.w, 0);
  let pick = rand() * total;
  const shape = SHAPES.find((s) => (pick -= s.w) < 0) ?? SHAPES[0];
  const minutes = shape.minutes[0] + rand() * (shape.minutes[1] - shape.minutes[0]);
  const gpusPerNode = shape.gpus[Math.floor(rand() * shape.gpus.length)]!;
  return {
    name: `${shape.name}-${n}`,
    project: m.projectId,
    gpuType: TYPES[Math.floor(rand() * TYPES.length)]!,
    nodes: shape.nodes,
    gpusPerNode,
    walltime: Math.ceil(minutes * 1.5 * 60),
    command: ['python', 'train.py', `--run=${n}`],
    sim: { durationSeconds: Math.round(minutes * 60), exitCode: rand() < 0.06 ? 1 : 0, gpuUtilPct: Math.round(45 + rand() * 50) },
  };
}

/** A running demo load. */
export interface DemoLoad {
  submitted(): number;
  stop(): Promise<void>;
}

/** Start submitting; a submission the service refuses (budget, shape) is logged at debug and skipped. */
export async function startDemoLoad(deps: { db: Db; jobs: JobService; config: DemoConfig; log: { info(o: object, m: string): void; debug(o: object, m: string): void } }): Promise<DemoLoad> {
  const members = await researcherMemberships(deps.db);
  const rand = prng(deps.config.seed);
  let n = 0;
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped || members.length === 0) return;
    const m = members[Math.floor(rand() * members.length)]!;
    const principal: Principal = { userId: m.userId, institutionId: m.institutionId, roles: ['researcher'], operatorSiteIds: [] };
    const body = demoJob(rand, m, ++n);
    inFlight = deps.jobs.submit(principal, body).catch((err: unknown) => deps.log.debug({ err: (err as Error).message, project: m.projectId }, 'demo job refused'));
  };
  // A burst first so the grid is busy at once, then a Poisson-ish trickle around the configured rate.
  for (let i = 0; i < Math.min(60, members.length); i++) tick();
  const meanMs = 60_000 / deps.config.jobsPerMinute;
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(() => {
      tick();
      schedule();
    }, -Math.log(1 - rand()) * meanMs);
    timer.unref();
  };
  schedule();
  deps.log.info({ jobsPerMinute: deps.config.jobsPerMinute, submitters: members.length }, 'demo load: submitting a steady trickle of sim jobs (NCG_DEMO_LOAD=0 turns it off)');
  return {
    submitted: () => n,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
