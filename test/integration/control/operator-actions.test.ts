/**
 * Operators' and admins' actions as the control loop sees them, on PGlite and PostgreSQL: a drained
 * cluster gets no new dispatches (reason `ClusterUnavailable`) while its running job finishes, and
 * resuming it lets the waiting job start; an approved change request lifts a hard budget that kept a job
 * pending with `BudgetExhausted`, from the next cycle on.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/principal.js';
import { AllocationService } from '../../../src/services/allocation-service.js';
import { ClusterOperations } from '../../../src/services/cluster-operations.js';
import { getJob } from '../../../src/store/repositories/jobs.js';
import { describeEachStore } from '../../helpers/db.js';
import { controllerFor, queueJob, setUpGrid, type ControlGrid } from './control-harness.js';

const operator: Principal = { userId: 'u0-r', institutionId: 'u0', roles: ['coe-operator'], operatorSiteIds: ['isb'] };
const nationalAdmin: Principal = { userId: 'u1-r', institutionId: 'u1', roles: ['national-admin'], operatorSiteIds: [] };
const instAdmin: Principal = { userId: 'u2-r', institutionId: 'u2', roles: ['institution-admin'], operatorSiteIds: [] };

describeEachStore('control: operator and allocation actions', (getDb) => {
  let grid: ControlGrid;
  beforeAll(async () => {
    grid = await setUpGrid(getDb());
  });

  it('a drained cluster gets no new dispatches while its running job finishes; resumed, it takes the waiting job', async () => {
    const ops = new ClusterOperations({ db: grid.db });
    const controller = controllerFor(grid);
    const running = await queueJob(grid, 0, { gpuTypes: ['H100-80GB'], gpusPerNode: 8, sim: { durationSeconds: 600 } });
    await controller.runOnce();
    expect(await getJob(grid.db, running.id)).toMatchObject({ state: 'running', clusterId: 'c-isb' });

    expect(await ops.apply(operator, 'c-isb', 'drain')).toMatchObject({ previousState: 'active', state: 'draining', changed: true, activeJobs: 1 });
    const waiting = await queueJob(grid, 0, { gpuTypes: ['H100-80GB'], gpusPerNode: 8, sim: { durationSeconds: 60 } });
    await controller.runOnce();
    expect(await getJob(grid.db, waiting.id)).toMatchObject({ state: 'queued', reason: 'ClusterUnavailable' });
    expect(await getJob(grid.db, running.id)).toMatchObject({ state: 'running' });

    grid.clock.advance(601_000);
    await controller.runOnce();
    expect(await getJob(grid.db, running.id)).toMatchObject({ state: 'succeeded' });
    expect(await getJob(grid.db, waiting.id)).toMatchObject({ state: 'queued', reason: 'ClusterUnavailable' });
    expect(await ops.apply(operator, 'c-isb', 'drain')).toMatchObject({ changed: false, activeJobs: 0 });

    expect(await ops.apply(operator, 'c-isb', 'resume')).toMatchObject({ previousState: 'draining', state: 'active', changed: true });
    await controller.runOnce();
    expect(await getJob(grid.db, waiting.id)).toMatchObject({ state: 'running', clusterId: 'c-isb' });
    // Cordoned (offline), the cluster is unavailable too.
    await ops.apply(nationalAdmin, 'c-isb', 'cordon');
    const cordoned = await queueJob(grid, 1, { gpuTypes: ['L40S'] });
    await controller.runOnce();
    expect(await getJob(grid.db, cordoned.id)).toMatchObject({ state: 'queued', reason: 'ClusterUnavailable' });
    await ops.apply(nationalAdmin, 'c-isb', 'resume');
  });

  it('an operator cannot act on another site’s cluster', async () => {
    const ops = new ClusterOperations({ db: grid.db });
    await expect(ops.apply(operator, 'c-lhr', 'drain')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ops.apply(operator, 'nope', 'drain')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an approved change request lifts a hard budget from the next cycle on', async () => {
    // u2's award shrinks to 1 GPU-hour: an 8-GPU, 1-hour job cannot be covered.
    await grid.db.updateTable('allocations').set({ gpu_hours: 1 }).where('id', '=', 'a-u2').execute();
    const controller = controllerFor(grid);
    const job = await queueJob(grid, 2, { gpuTypes: ['A100-40GB'], nodes: 2, gpusPerNode: 4, walltimeSeconds: 3600 });
    await controller.runOnce();
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'queued', reason: 'BudgetExhausted' });

    const svc = new AllocationService({ db: grid.db, now: () => grid.clock.now() });
    const request = await svc.requests.file(instAdmin, 'a-u2', { gpuHours: 100, justification: 'the paper deadline' });
    await controller.runOnce();
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'queued', reason: 'BudgetExhausted' });
    await svc.requests.approve(nationalAdmin, request.id, {});
    await controller.runOnce();
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'running', clusterId: 'c-lhr' });
  });
});
