/**
 * transitionJobsBulk keeps transitionJobs' promises at a few statements per batch: a transition applies
 * only from its allowed states, every applied one is an event row with the real `from`, patch fields set
 * or clear exactly their columns (and leave the others alone), and a job's chain applies in order.
 */
import { beforeAll, expect, it } from 'vitest';
import { transitionJobsBulk } from '../../../src/store/repositories/job-transitions-bulk.js';
import { getJob, jobEvents } from '../../../src/store/repositories/jobs.js';
import { describeEachStore } from '../../helpers/db.js';
import { queueJob, setUpGrid, type ControlGrid } from './control-harness.js';

describeEachStore('transitionJobsBulk', (getDb) => {
  let grid: ControlGrid;
  beforeAll(async () => {
    grid = await setUpGrid(getDb());
  });

  it('applies only from allowed states, writes one event per applied step, and runs a chain in order', async () => {
    const [a, b, c] = [await queueJob(grid, 0), await queueJob(grid, 1), await queueJob(grid, 2)];
    const t = grid.clock.now();
    const moved = await transitionJobsBulk(grid.db, [
      { jobId: a.id, from: ['queued'], to: 'dispatching', at: t, reason: 'dispatched', data: { k: 1 }, patch: { dispatchKey: `${a.id}:1`, clusterId: 'c-isb', poolId: 'c-isb-h100', nodeNames: ['n1', 'n2'], borrowed: true } },
      { jobId: a.id, from: ['dispatching'], to: 'running', at: t + 1000, patch: { startedAt: t + 1000, externalId: 'ext-1' } },
      { jobId: a.id, from: ['running'], to: 'succeeded', at: t + 5000, patch: { endedAt: t + 5000, exitCode: 0 } },
      { jobId: b.id, from: ['running'], to: 'failed', at: t, patch: { endedAt: t } }, // b is queued: not applied
      { jobId: c.id, from: ['queued', 'preempted'], to: 'cancelled', at: t, reason: 'cancelled', patch: { endedAt: t, reason: 'cancelled', reasonData: { by: 'x' } } },
    ]);
    expect([...moved].sort()).toEqual([a.id, c.id].sort());
    expect(await getJob(grid.db, a.id)).toMatchObject({
      state: 'succeeded', dispatchKey: `${a.id}:1`, clusterId: 'c-isb', poolId: 'c-isb-h100', nodeNames: ['n1', 'n2'], borrowed: true,
      startedAt: t + 1000, endedAt: t + 5000, exitCode: 0, externalId: 'ext-1',
    });
    const events = await jobEvents(grid.db, a.id);
    expect(events.map((e) => [e.from, e.to, e.at])).toEqual([[undefined, 'queued', a.submittedAt], ['queued', 'dispatching', t], ['dispatching', 'running', t + 1000], ['running', 'succeeded', t + 5000]]);
    expect(events[1]).toMatchObject({ reason: 'dispatched', data: { k: 1 } });
    expect(await getJob(grid.db, b.id)).toMatchObject({ state: 'queued' });
    expect((await jobEvents(grid.db, b.id)).length).toBe(1);
    expect(await getJob(grid.db, c.id)).toMatchObject({ state: 'cancelled', reason: 'cancelled', reasonData: { by: 'x' } });
  });

  it('null clears a column, undefined leaves it', async () => {
    const j = await queueJob(grid, 3);
    const t = grid.clock.now();
    await transitionJobsBulk(grid.db, [{ jobId: j.id, from: ['queued'], to: 'dispatching', at: t, patch: { dispatchKey: `${j.id}:1`, clusterId: 'c-lhr', poolId: 'c-lhr-a100', nodeNames: ['x'], reason: 'r', reasonData: { m: 1 } } }]);
    await transitionJobsBulk(grid.db, [{ jobId: j.id, from: ['dispatching'], to: 'queued', at: t, patch: { clusterId: null, poolId: null, nodeNames: null, reasonData: null } }]);
    const after = await getJob(grid.db, j.id);
    expect(after).toMatchObject({ state: 'queued', dispatchKey: `${j.id}:1`, reason: 'r' });
    expect(after.clusterId).toBeUndefined();
    expect(after.nodeNames).toBeUndefined();
    expect(after.reasonData).toBeUndefined();
  });
});
