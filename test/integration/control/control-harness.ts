/**
 * A small grid for control-loop tests: two active sim clusters on one ManualClock (H100 8×4 + L40S 4×2 at
 * Islamabad, A100 4×4 at Lahore: 56 GPUs), `institutions` institutions each with a project, a researcher
 * and a large hard allocation, plus helpers to queue jobs and build controllers on that grid.
 */
import type { GridSeed } from '../../../src/seed/types.js';
import type { JobSpec } from '../../../src/domain/types.js';
import { ManualClock, createSimClusters, type SimClusterAdapter } from '../../../src/adapters/sim/index.js';
import type { ClusterAdapter } from '../../../src/adapters/port.js';
import { Controller, LocalLease, type ControllerOptions } from '../../../src/control/index.js';
import { defaultPolicy } from '../../../src/scheduler/policy.js';
import { insertJob, jobsInStates, type JobRecord } from '../../../src/store/repositories/jobs.js';
import { writeGridSeed, type Db } from '../../../src/store/index.js';

/** The instant the grid's ManualClock starts at. */
export const T0 = Date.UTC(2026, 9, 1);

/** Institution ids `u0`, `u1`, …; project `u0-p`, researcher `u0-r`. */
export const inst = (i: number): string => `u${i}`;

/** The control-test grid. */
export function controlGrid(institutions = 4, gpuHours = 1_000_000): GridSeed {
  const insts = Array.from({ length: institutions }, (_, i) => ({ id: inst(i), name: `University ${i}`, shortName: `U${i}`, province: 'Punjab', city: 'Lahore', shares: 1 }));
  return {
    sites: [
      { id: 'isb', name: 'CoE Islamabad', city: 'Islamabad', province: 'ICT', tier: 'primary-coe' },
      { id: 'lhr', name: 'CoE Lahore', city: 'Lahore', province: 'Punjab', tier: 'primary-coe' },
    ],
    clusters: [
      { id: 'c-isb', siteId: 'isb', name: 'isb', kind: 'sim', state: 'active', config: {} },
      { id: 'c-lhr', siteId: 'lhr', name: 'lhr', kind: 'sim', state: 'active', config: {} },
    ],
    pools: [
      { id: 'c-isb-h100', clusterId: 'c-isb', name: 'h100', gpuType: 'H100-80GB', nodes: 4, gpusPerNode: 8, gpuMemoryGb: 80, bf16Tflops: 989 },
      { id: 'c-isb-l40s', clusterId: 'c-isb', name: 'l40s', gpuType: 'L40S', nodes: 2, gpusPerNode: 4, gpuMemoryGb: 48, bf16Tflops: 362 },
      { id: 'c-lhr-a100', clusterId: 'c-lhr', name: 'a100', gpuType: 'A100-40GB', nodes: 4, gpusPerNode: 4, gpuMemoryGb: 40, bf16Tflops: 312 },
    ],
    institutions: insts,
    projects: insts.map((x) => ({ id: `${x.id}-p`, institutionId: x.id, name: `${x.shortName} project`, shares: 1 })),
    users: insts.map((x) => ({ id: `${x.id}-r`, institutionId: x.id, name: `R ${x.shortName}`, email: `r@${x.id}.edu.pk`, roles: ['researcher' as const] })),
    projectMembers: insts.map((x) => ({ projectId: `${x.id}-p`, userId: `${x.id}-r` })),
    allocations: insts.map((x) => ({
      id: `a-${x.id}`, institutionId: x.id, periodStart: Date.UTC(2026, 6, 1), periodEnd: Date.UTC(2027, 0, 1),
      gpuHours, kind: 'hard' as const, gracePct: 0, mayBorrow: true,
    })),
  };
}

/** A grid in a database plus its sim clusters on a manual clock. */
export interface ControlGrid {
  db: Db;
  clock: ManualClock;
  sims: Map<string, SimClusterAdapter>;
  adapters: Map<string, ClusterAdapter>;
}

/** Seed `db` with the control grid and stand up its sim clusters. */
export async function setUpGrid(db: Db, institutions = 4, gpuHours?: number): Promise<ControlGrid> {
  const seed = controlGrid(institutions, gpuHours);
  await writeGridSeed(db, seed, T0);
  const clock = new ManualClock(T0);
  const sims = createSimClusters(seed, { clock, defaultDurationSeconds: 600 });
  return { db, clock, sims, adapters: new Map<string, ClusterAdapter>(sims) };
}

/** A job spec with test-friendly defaults. */
export function spec(i: number, over: Partial<JobSpec> = {}): JobSpec {
  return {
    name: `job-${i}`, projectId: `${inst(i % 4)}-p`, gpuTypes: ['any'], nodes: 1, gpusPerNode: 2, cpusPerNode: 8, memoryGbPerNode: 64,
    walltimeSeconds: 3600, qos: 'normal', sim: { durationSeconds: 300 }, ...over,
  };
}

let seq = 0;

/** Queue a job for institution `i` (its project and researcher) at the clock's now. */
export async function queueJob(grid: ControlGrid, i: number, over: Partial<JobSpec> = {}): Promise<JobRecord> {
  const s = spec(i, { projectId: `${inst(i)}-p`, ...over });
  const id = `j-${String(++seq).padStart(6, '0')}`;
  return insertJob(grid.db, { id, institutionId: inst(i), userId: `${inst(i)}-r`, spec: s, submittedAt: grid.clock.now() });
}

/** A controller on the grid (LocalLease, the grid's clock, default policy); options override. */
export function controllerFor(grid: ControlGrid, over: Partial<ControllerOptions> = {}): Controller {
  return new Controller({
    db: grid.db,
    adapters: grid.adapters,
    lease: new LocalLease(),
    policy: defaultPolicy,
    now: () => grid.clock.now(),
    intervalMs: 60_000,
    ...over,
  });
}

/** Keys of every job any sim cluster ever started for `jobId` (a key is `<jobId>:<attempt>`). */
export function createdKeys(grid: ControlGrid, jobId: string): string[] {
  const keys: string[] = [];
  for (const sim of grid.sims.values()) {
    for (const s of sim.listJobs()) {
      if (s.idempotencyKey.startsWith(`${jobId}:`)) for (let n = sim.createdCount(s.idempotencyKey); n > 0; n--) keys.push(s.idempotencyKey);
    }
  }
  return keys;
}

/** Run cycles, advancing the clock `stepMs` between them, until no job is waiting or active (or `maxCycles`). */
export async function drain(grid: ControlGrid, controller: Controller, stepMs = 600_000, maxCycles = 100): Promise<void> {
  for (let i = 0; i < maxCycles; i++) {
    await controller.runOnce();
    const open = await jobsInStates(grid.db, ['queued', 'preempted', 'dispatching', 'running']);
    if (open.length === 0) return;
    grid.clock.advance(stepMs);
  }
  throw new Error(`jobs still open after ${maxCycles} cycles`);
}
