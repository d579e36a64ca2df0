/**
 * Persist, then act: a dispatch is in the store (state `dispatching`, attempt key, placement) before its
 * cluster is called; clusters' answers — accepted, refused, unreachable, acknowledgement lost, job lost —
 * end in the right state without ever starting a job twice. On PGlite and on the real PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest';
import { getJob, jobEvents } from '../../../src/store/repositories/jobs.js';
import { describeEachStore } from '../../helpers/db.js';
import { controllerFor, createdKeys, drain, queueJob, setUpGrid, type ControlGrid } from './control-harness.js';

describeEachStore('control: persist then dispatch', (getDb) => {
  let grid: ControlGrid;
  beforeAll(async () => {
    grid = await setUpGrid(getDb());
  });

  it('writes dispatching + attempt key + placement before the cluster sees the submit, then follows it to running and succeeded', async () => {
    const jobs = await Promise.all([0, 1, 2].map((i) => queueJob(grid, i, { gpuTypes: ['H100-80GB'], gpusPerNode: 4, sim: { durationSeconds: 300 } })));
    const seen: string[] = [];
    const controller = controllerFor(grid, {
      faults: {
        afterPersistBeforeDispatch: async ({ jobIds }) => {
          for (const id of jobIds) {
            const j = await getJob(grid.db, id);
            expect(j).toMatchObject({ state: 'dispatching', dispatchKey: `${id}:1`, clusterId: 'c-isb', poolId: 'c-isb-h100' });
            expect(j.nodeNames).toHaveLength(1);
            expect(grid.sims.get('c-isb')!.submissionCount(`${id}:1`)).toBe(0);
            seen.push(id);
          }
        },
      },
    });
    const start = grid.clock.now();
    const report = await controller.runOnce();
    expect(report).toMatchObject({ dispatched: 3, accepted: 3, refused: 0 });
    expect(seen.sort()).toEqual(jobs.map((j) => j.id).sort());
    for (const j of jobs) {
      const after = await getJob(grid.db, j.id);
      expect(after).toMatchObject({ state: 'running', startedAt: start, clusterId: 'c-isb' });
      expect(after.externalId).toMatch(/^c-isb-/);
      expect((await jobEvents(grid.db, j.id)).map((e) => e.to)).toEqual(['queued', 'dispatching', 'running']);
    }
    grid.clock.advance(300_000);
    await controller.runOnce();
    for (const j of jobs) {
      expect(await getJob(grid.db, j.id)).toMatchObject({ state: 'succeeded', exitCode: 0, endedAt: start + 300_000 });
      expect(createdKeys(grid, j.id)).toEqual([`${j.id}:1`]);
    }
  });

  it('a refusal requeues the job with the refusal as reason, backs the cluster off, and a later attempt uses a new key', async () => {
    const sim = grid.sims.get('c-isb')!;
    const job = await queueJob(grid, 1, { gpuTypes: ['L40S'] });
    sim.faults.setRefuse('maintenance window');
    const controller = controllerFor(grid, { backoff: { baseMs: 30_000 } });
    expect(await controller.runOnce()).toMatchObject({ dispatched: 1, refused: 1, dispatchFailures: [{ clusterId: 'c-isb', kind: 'refused', count: 1 }] });
    const refused = await getJob(grid.db, job.id);
    expect(refused).toMatchObject({ state: 'queued', reason: 'refused', dispatchKey: `${job.id}:1` });
    expect(String(refused.reasonData?.['message'])).toContain('maintenance window');
    await controller.runOnce(); // backed off: the job is told why it waits
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'queued', reason: 'ClusterUnavailable' });
    sim.faults.setRefuse(false);
    grid.clock.advance(31_000);
    await controller.runOnce();
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'running', dispatchKey: `${job.id}:2` });
    expect(createdKeys(grid, job.id)).toEqual([`${job.id}:2`]);
    await drain(grid, controller);
  });

  it('a submit whose answer was lost is found by its key and adopted, never submitted again', async () => {
    const sim = grid.sims.get('c-isb')!;
    const job = await queueJob(grid, 2, { gpuTypes: ['L40S'] });
    sim.faults.dropNextAck();
    const controller = controllerFor(grid);
    await controller.runOnce();
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'running', dispatchKey: `${job.id}:1` });
    expect(sim.submissionCount(`${job.id}:1`)).toBe(1);
    await drain(grid, controller);
    expect(createdKeys(grid, job.id)).toEqual([`${job.id}:1`]);
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'succeeded' });
  });

  it('a cluster that goes dark mid-dispatch leaves the job dispatching until it answers; never received → requeued under a new key', async () => {
    const sim = grid.sims.get('c-isb')!;
    const job = await queueJob(grid, 3, { gpuTypes: ['L40S'] });
    const controller = controllerFor(grid, { backoff: { baseMs: 10_000 }, faults: { afterPersistBeforeDispatch: () => sim.faults.setUnreachable(true) } });
    expect((await controller.runOnce()).dispatchFailures).toEqual([{ clusterId: 'c-isb', kind: 'unavailable', count: 1 }]);
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'dispatching', dispatchKey: `${job.id}:1` });
    grid.clock.advance(60_000);
    await controller.runOnce(); // still dark: nothing changes, nothing is resubmitted
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'dispatching', dispatchKey: `${job.id}:1` });
    sim.faults.setUnreachable(false);
    grid.clock.advance(60_000);
    const fresh = controllerFor(grid);
    await fresh.runOnce();
    const events = await jobEvents(grid.db, job.id);
    expect(events.map((e) => [e.to, e.reason])).toContainEqual(['queued', 'not_found']);
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'running', dispatchKey: `${job.id}:2` });
    expect(sim.submissionCount(`${job.id}:1`)).toBe(0);
    await drain(grid, fresh);
  });

  it('a job lost before it was seen running is requeued; one lost while running fails with reason lost', async () => {
    const sim = grid.sims.get('c-lhr')!;
    const early = await queueJob(grid, 0, { gpuTypes: ['A100-40GB'] });
    sim.faults.loseNext();
    const controller = controllerFor(grid);
    await controller.runOnce();
    expect(await getJob(grid.db, early.id)).toMatchObject({ state: 'queued', reason: 'lost', dispatchKey: `${early.id}:1` });
    await controller.runOnce();
    expect(await getJob(grid.db, early.id)).toMatchObject({ state: 'running', dispatchKey: `${early.id}:2` });
    sim.loseJob(`${early.id}:2`);
    grid.clock.advance(10_000);
    await controller.runOnce();
    expect(await getJob(grid.db, early.id)).toMatchObject({ state: 'failed', reason: 'lost' });
    expect(createdKeys(grid, early.id).sort()).toEqual([`${early.id}:1`, `${early.id}:2`]);
  });
});
