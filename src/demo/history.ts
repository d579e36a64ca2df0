/**
 * A past for the embedded demo: months of finished jobs on the national grid, so last quarter's Pillar-5
 * report, the utilisation chart and the institution pages have something to show on the first start.
 *
 * The history is not drawn at random onto the grid: a synthetic workload (arrivals growing from a quiet
 * start to a busy grid, as a national programme ramps up) is run through the what-if simulator — the same
 * scheduling core the server uses — on the seeded grid, and what the simulator saw becomes jobs, state
 * events and ledger charges. Waits, placements and fair-share effects are therefore the core's own.
 *
 * Deterministic: the same seed, grid and period give the same history (no clock, no I/O; ids from the seed).
 */
import { usageAccountsOf } from '../control/account-tree.js';
import { addInterval, decayTo, zeroDecayed } from '../scheduler/decay.js';
import type { GridSeed } from '../seed/types.js';
import { simulate } from '../simulate/engine.js';
import { namedPolicy } from '../simulate/policy-loader.js';
import { createRng, type Rng } from '../simulate/prng.js';
import { gridFromSeed } from '../simulate/sim-grid.js';
import { mapWorkload } from '../simulate/workload-mapping.js';
import { ulid } from '../store/ids.js';
import type { PastCharge, PastJob } from '../store/repositories/past-jobs.js';
import type { RawJob } from '../simulate/workload-types.js';

/** One finished job of the history (as the store writes it). */
export type HistoryJob = PastJob;

/** GPU-seconds of one job within one UTC day (ledger rows are split at midnight, as daily rollups read them). */
export type HistoryCharge = PastCharge;

/** The whole history. */
export interface DemoHistory {
  from: number;
  to: number;
  jobs: HistoryJob[];
  charges: HistoryCharge[];
  /** Jobs the workload submitted that had not finished by `to` (left out: the live grid starts empty). */
  unfinished: number;
}

/** What to build. */
export interface HistoryOptions {
  /** First instant of the history (epoch ms). */
  from: number;
  /** The present: nothing in the history ends after it. */
  to: number;
  seed: number;
  /** Offered load (GPU-hours asked ÷ GPU-hours available) at the start and at the end; it grows linearly. */
  loadFrom?: number;
  loadTo?: number;
}

const DAY_MS = 86_400_000;
/** Gang sizes (GPUs) and their weights: mostly single nodes, some multi-node training. */
const SIZES: readonly { gpus: number; weight: number }[] = [
  { gpus: 1, weight: 2 }, { gpus: 2, weight: 2 }, { gpus: 4, weight: 3 }, { gpus: 8, weight: 4 }, { gpus: 16, weight: 2 }, { gpus: 32, weight: 1 },
];
/** Log-normal run times: median 8 h, few beyond three days (training runs, not notebooks). */
const RUN = { medianSeconds: 8 * 3600, sigma: 1.0, minSeconds: 300, maxSeconds: 72 * 3600 };
const NAMES = ['pretrain', 'finetune', 'eval', 'sweep', 'distill', 'embed', 'rl', 'asr', 'vision', 'urdu-llm'];
/** A cycle per 30 simulated minutes: waits look like a busy national grid's, and the first start stays short. */
const CYCLE_INTERVAL_SECONDS = 1_800;

/** Build the demo history of `seed`'s grid over [from, to). */
export function buildDemoHistory(seed: GridSeed, opts: HistoryOptions): DemoHistory {
  const rng = createRng(opts.seed);
  const grid = gridFromSeed('national', seed);
  const gpus = grid.pools.filter((p) => p.available).reduce((s, p) => s + p.nodes * p.gpusPerNode, 0);
  const raw = arrivals(rng, grid.institutions, gpus, opts);
  const { jobs } = mapWorkload({ format: 'synthetic', startEpochMs: opts.from, jobs: raw, skipped: {}, malformed: 0 }, grid);
  const policy = { ...namedPolicy('default'), cycleIntervalSeconds: CYCLE_INTERVAL_SECONDS };
  const run = simulate(jobs, grid, policy);
  const poolType = new Map(grid.pools.map((p) => [`${p.clusterId}/${p.poolId}`, p.gpuType]));
  const people = peopleByInstitution(seed);
  const out: DemoHistory = { from: opts.from, to: opts.to, jobs: [], charges: [], unfinished: 0 };
  const idBytes = new Uint8Array(10);
  for (const j of jobs) {
    const startedAt = run.recorder.startAt[j.index]!;
    const runEnd = run.recorder.endAt[j.index]!;
    const placed = run.recorder.placedOn[j.index];
    if (Number.isNaN(startedAt) || Number.isNaN(runEnd) || runEnd > opts.to || placed === undefined) {
      out.unfinished++;
      continue;
    }
    const [clusterId, poolId] = placed.split('/') as [string, string];
    const who = pick(rng, people.get(j.institutionId) ?? []);
    if (!who) continue; // an institution without projects cannot have run anything
    // Most jobs succeed; a few fail, and a few are cancelled part-way by their owners.
    const fate = rng.next();
    const state: HistoryJob['state'] = fate < 0.04 ? 'failed' : fate < 0.06 ? 'cancelled' : 'succeeded';
    const endedAt = state === 'cancelled' ? startedAt + Math.max(60_000, Math.round((runEnd - startedAt) * rng.next())) : runEnd;
    for (let b = 0; b < idBytes.length; b++) idBytes[b] = Math.floor(rng.next() * 256);
    const job: HistoryJob = {
      id: `j-${ulid(j.submitAt, idBytes)}`,
      institutionId: j.institutionId, projectId: who.projectId, userId: who.userId,
      name: `${NAMES[Math.floor(rng.next() * NAMES.length)]}-${j.index}`,
      gpuTypes: j.gpuTypes, nodes: j.nodes, gpusPerNode: j.gpusPerNode, walltimeSeconds: j.walltimeSeconds,
      submittedAt: j.submitAt, startedAt, endedAt, clusterId, poolId, gpuType: poolType.get(placed) ?? 'unknown', state,
    };
    if (state !== 'cancelled') job.exitCode = state === 'failed' ? 1 : 0;
    out.jobs.push(job);
    out.charges.push(...dailyCharges(job.id, startedAt, endedAt, j.gpus));
  }
  return out;
}

/** Arrivals whose offered load grows linearly from `loadFrom` to `loadTo` over the period. */
function arrivals(rng: Rng, institutions: readonly { id: string; shares: number }[], gpus: number, opts: HistoryOptions): RawJob[] {
  const seconds = (opts.to - opts.from) / 1000;
  const [l0, l1] = [opts.loadFrom ?? 0.15, opts.loadTo ?? 0.55];
  // Mean GPU-seconds of one job: E[gpus] × E[run]; a log-normal's mean is median × e^(σ²/2) (the cap trims little).
  const meanGpus = SIZES.reduce((s, x) => s + x.gpus * x.weight, 0) / SIZES.reduce((s, x) => s + x.weight, 0);
  const meanJob = meanGpus * RUN.medianSeconds * Math.exp((RUN.sigma * RUN.sigma) / 2);
  const weights = institutions.map((i) => i.shares);
  const sizeWeights = SIZES.map((s) => s.weight);
  const out: RawJob[] = [];
  let t = 0;
  for (;;) {
    const load = l0 + ((l1 - l0) * t) / seconds;
    // Jobs per second that offer `load` of the grid: load × GPUs ÷ mean GPU-seconds per job.
    t += rng.exponential(meanJob / (load * gpus));
    if (t >= seconds) break;
    const run = Math.min(RUN.maxSeconds, Math.max(RUN.minSeconds, Math.round(rng.lognormal(RUN.medianSeconds, RUN.sigma))));
    out.push({
      id: `h${out.length + 1}`, submitSeconds: Math.round(t), runSeconds: run,
      // Users over-ask: walltime 1.2–3 × the run time, in whole hours.
      walltimeSeconds: Math.ceil((run * (1.2 + 1.8 * rng.next())) / 3600) * 3600,
      size: SIZES[rng.weighted(sizeWeights)]!.gpus, sizeUnit: 'gpus', institution: institutions[rng.weighted(weights)]!.id,
    });
  }
  return out;
}

/** Each institution's (project, member) pairs, in seed order. */
function peopleByInstitution(seed: GridSeed): Map<string, { projectId: string; userId: string }[]> {
  const instOf = new Map(seed.projects.map((p) => [p.id, p.institutionId]));
  const out = new Map<string, { projectId: string; userId: string }[]>();
  for (const m of seed.projectMembers) {
    const inst = instOf.get(m.projectId);
    if (inst === undefined) continue;
    let list = out.get(inst);
    if (!list) out.set(inst, (list = []));
    list.push(m);
  }
  return out;
}

function pick<T>(rng: Rng, list: readonly T[]): T | undefined {
  return list.length === 0 ? undefined : list[Math.floor(rng.next() * list.length)];
}

/** GPU-seconds of [start, end) on `gpus` GPUs, one row per UTC day touched. */
export function dailyCharges(jobId: string, start: number, end: number, gpus: number): HistoryCharge[] {
  const out: HistoryCharge[] = [];
  for (let a = start; a < end; ) {
    const b = Math.min(end, (Math.floor(a / DAY_MS) + 1) * DAY_MS);
    const gpuSeconds = Math.round(((b - a) / 1000) * gpus);
    if (gpuSeconds > 0) out.push({ jobId, windowStart: a, windowEnd: b, gpuSeconds });
    a = b;
  }
  return out;
}

/**
 * The decayed usage the history leaves behind at `now`, per account of the fair-share tree (national,
 * institution, project, project/user), so the scheduler's Fair Tree starts from the grid's past as it would
 * had the history really run. Each run counts with the decay inside it integrated exactly (decay.ts).
 */
export function historyUsage(jobs: readonly HistoryJob[], now: number, halfLifeSeconds: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const j of jobs) {
    const run = decayTo(addInterval(zeroDecayed(j.startedAt), j.startedAt, j.endedAt, j.nodes * j.gpusPerNode, halfLifeSeconds), now, halfLifeSeconds).value;
    for (const account of usageAccountsOf(j)) out.set(account, (out.get(account) ?? 0) + run);
  }
  return out;
}
