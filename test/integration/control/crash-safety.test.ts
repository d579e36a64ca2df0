/**
 * Crash safety, shown (issue 4). A controller over sim clusters on a ManualClock is killed at random
 * (seeded) moments at its fault points — after persisting a cycle's dispatches but before calling any
 * cluster, and after a cluster acknowledged a submit but before the answer was recorded — and replaced by
 * a new controller on the same database and the same clusters (which survive, as real clusters would).
 * Clusters also lose submit acknowledgements and go dark for a while. Driven to completion:
 *   - no job is lost: every job ends;
 *   - none is dispatched twice: exactly one backend job was ever created per ncg job, under a key the
 *     store had persisted before the submit;
 *   - every job ends in the state its run dictates (succeeded / failed with exit code / timeout), the
 *     state the cluster reports for it;
 *   - the ledger charges each run exactly GPUs × run time.
 * Reclaim is off here so every job runs exactly once (preemption reruns are covered elsewhere).
 */
import { expect, it } from 'vitest';
import { ControllerCrashedError, type FaultPoints } from '../../../src/control/index.js';
import { defaultPolicy } from '../../../src/scheduler/policy.js';
import { createRng, type Rng } from '../../../src/simulate/prng.js';
import { getJob, jobEvents, jobsInStates, type JobRecord } from '../../../src/store/repositories/jobs.js';
import { ledgerEntriesOfJob } from '../../../src/store/repositories/usage-ledger.js';
import type { JobSpec } from '../../../src/domain/types.js';
import { describeEachStore } from '../../helpers/db.js';
import { controllerFor, createdKeys, queueJob, setUpGrid, type ControlGrid } from './control-harness.js';

const JOBS = 160;
const TYPES = ['any', 'H100-80GB', 'L40S', 'A100-40GB'] as const;

/** A random job that fits the control grid; about 10 % fail with an exit code, 10 % run past their walltime. */
function randomSpec(rng: Rng): Partial<JobSpec> {
  const type = TYPES[Math.floor(rng.next() * TYPES.length)]!;
  const maxPerNode = type === 'H100-80GB' ? 8 : 4;
  const gpusPerNode = [1, 2, 4, maxPerNode][Math.floor(rng.next() * 4)]!;
  const nodes = type === 'H100-80GB' && rng.next() < 0.2 ? 2 : 1;
  const walltimeSeconds = 600 + Math.floor(rng.next() * 3000);
  const roll = rng.next();
  const durationSeconds = roll < 0.1 ? walltimeSeconds + 60 : 30 + Math.floor(rng.next() * (walltimeSeconds - 30));
  const sim = roll >= 0.1 && roll < 0.2 ? { durationSeconds, exitCode: 1 + Math.floor(rng.next() * 5) } : { durationSeconds };
  return { gpuTypes: [type], nodes, gpusPerNode, walltimeSeconds, sim };
}

/** Fault points that kill the controller with the given per-call probabilities, counting the kills. */
function killer(rng: Rng, kills: Record<keyof FaultPoints, number>): FaultPoints {
  const maybe = (point: keyof FaultPoints, p: number) => () => {
    if (rng.next() >= p) return;
    kills[point]++;
    throw new Error(`killed at ${point}`);
  };
  return { afterPersistBeforeDispatch: maybe('afterPersistBeforeDispatch', 0.2), afterDispatchBeforeRecord: maybe('afterDispatchBeforeRecord', 0.04) };
}

/** Drive the grid to completion through crashes and cluster faults; returns the kills per point. */
async function chaos(grid: ControlGrid, seed: number, jobs: JobRecord[]): Promise<Record<keyof FaultPoints, number>> {
  const rng = createRng(seed);
  const kills = { afterPersistBeforeDispatch: 0, afterDispatchBeforeRecord: 0 };
  const make = () => controllerFor(grid, { policy: { ...defaultPolicy, reclaim: false }, faults: killer(rng, kills), backoff: { baseMs: 20_000, maxMs: 60_000 } });
  let controller = make();
  const sims = [...grid.sims.values()];
  const dark = new Map<(typeof sims)[number], number>();
  for (let round = 0; round < 600; round++) {
    if (jobs.length < JOBS) for (let k = 0; k < 20 && jobs.length < JOBS; k++) jobs.push(await queueJob(grid, Math.floor(rng.next() * 4), randomSpec(rng)));
    const sim = sims[Math.floor(rng.next() * sims.length)]!;
    if (rng.next() < 0.15) sim.faults.dropNextAck();
    if (rng.next() < 0.05 && !dark.has(sim)) {
      sim.faults.setUnreachable(true);
      dark.set(sim, round + 1 + Math.floor(rng.next() * 3));
    }
    for (const [s, until] of dark) {
      if (round < until) continue;
      s.faults.setUnreachable(false);
      dark.delete(s);
    }
    try {
      await controller.runOnce();
    } catch (err) {
      if (!(err instanceof ControllerCrashedError)) throw err;
      controller = make(); // "restart": same database, same clusters
    }
    const open = await jobsInStates(grid.db, ['queued', 'preempted', 'dispatching', 'running']);
    if (open.length === 0 && jobs.length >= JOBS && dark.size === 0) return kills;
    grid.clock.advance(30_000 + Math.floor(rng.next() * 270_000));
  }
  throw new Error('the grid did not drain within 600 rounds');
}

/** What a run with this spec must end as. */
function expected(spec: JobSpec): { state: string; exitCode?: number; reason?: string } {
  const sim = spec.sim!;
  if (sim.durationSeconds > spec.walltimeSeconds) return { state: 'failed', reason: 'timeout' };
  if (sim.exitCode) return { state: 'failed', exitCode: sim.exitCode, reason: 'nonzero_exit' };
  return { state: 'succeeded', exitCode: 0 };
}

describeEachStore('crash safety', (getDb) => {
  it(`${JOBS} jobs, killed at random fault points and restarted: none lost, none dispatched twice, all end right`, { timeout: 240_000 }, async () => {
    const grid = await setUpGrid(getDb());
    const jobs: JobRecord[] = [];
    const kills = await chaos(grid, 20261001, jobs);
    expect(kills.afterPersistBeforeDispatch).toBeGreaterThan(2);
    expect(kills.afterDispatchBeforeRecord).toBeGreaterThan(2);
    for (const queued of jobs) {
      const job = await getJob(grid.db, queued.id);
      const keys = createdKeys(grid, job.id);
      expect(keys, `job ${job.id} ran under keys ${keys.join(', ')}`).toEqual([job.dispatchKey]);
      const dispatchedKeys = (await jobEvents(grid.db, job.id)).filter((e) => e.to === 'dispatching').map((e) => e.data['dispatchKey']);
      expect(dispatchedKeys).toContain(job.dispatchKey); // persisted before it was submitted
      const want = expected(job.spec);
      expect(job).toMatchObject(want);
      const onCluster = await grid.sims.get(job.clusterId!)!.find(job.dispatchKey!);
      expect(onCluster).toMatchObject({ state: want.state, startedAt: job.startedAt, endedAt: job.endedAt });
      const gpus = job.spec.nodes * job.spec.gpusPerNode;
      const charged = (await ledgerEntriesOfJob(grid.db, job.id)).reduce((s, r) => s + r.gpuSeconds, 0);
      expect(charged, `ledger of ${job.id}`).toBe((gpus * (job.endedAt! - job.startedAt!)) / 1000);
    }
  });
});
