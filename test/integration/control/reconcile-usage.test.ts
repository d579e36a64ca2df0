/**
 * Reconcile and usage: exit codes and timeouts reach the store; a job cancelled in the store but still
 * running is cancelled again; preemption marks, cancels and requeues borrowed jobs and the beneficiary
 * starts in a later cycle; pending jobs carry a reason, position and factors written only when they change;
 * ledger rows add up to GPUs × run time exactly and decayed usage moves with them.
 */
import { beforeAll, expect, it } from 'vitest';
import { getJob, jobEvents, transitionJobs } from '../../../src/store/repositories/jobs.js';
import { ledgerEntriesOfJob } from '../../../src/store/repositories/usage-ledger.js';
import { listUsageAccounts } from '../../../src/store/repositories/usage-accounts.js';
import { userAccountId } from '../../../src/scheduler/types.js';
import { describeEachStore } from '../../helpers/db.js';
import { controllerFor, createdKeys, drain, inst, queueJob, setUpGrid, type ControlGrid } from './control-harness.js';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describeEachStore('control: reconcile, preemption, verdicts, usage', (getDb) => {
  let grid: ControlGrid;
  beforeAll(async () => {
    grid = await setUpGrid(getDb());
  });

  it('exit codes and timeouts reach the store; ledger rows add up to GPUs × run time and usage moves', async () => {
    const ok = await queueJob(grid, 0, { gpuTypes: ['A100-40GB'], gpusPerNode: 3, sim: { durationSeconds: 250 } });
    const bad = await queueJob(grid, 0, { gpuTypes: ['A100-40GB'], gpusPerNode: 1, sim: { durationSeconds: 100, exitCode: 3 } });
    const slow = await queueJob(grid, 0, { gpuTypes: ['A100-40GB'], gpusPerNode: 2, walltimeSeconds: 400, sim: { durationSeconds: 9_999 } });
    const controller = controllerFor(grid, { tuning: { usageWindowSeconds: 60 } });
    await controller.runOnce();
    for (let t = 0; t < 8; t++) {
      grid.clock.advance(70_000); // periodic windows on the way
      await controller.runOnce();
    }
    expect(await getJob(grid.db, ok.id)).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await getJob(grid.db, bad.id)).toMatchObject({ state: 'failed', exitCode: 3, reason: 'nonzero_exit' });
    const timedOut = await getJob(grid.db, slow.id);
    expect(timedOut).toMatchObject({ state: 'failed', reason: 'timeout' });
    expect(timedOut.exitCode).toBeUndefined();
    for (const [job, gpus, seconds] of [[ok, 3, 250], [bad, 1, 100], [slow, 2, 400]] as const) {
      const rows = await ledgerEntriesOfJob(grid.db, job.id);
      expect(sum(rows.map((r) => r.gpuSeconds))).toBe(gpus * seconds);
      for (let k = 1; k < rows.length; k++) expect(rows[k]!.windowStart).toBe(rows[k - 1]!.windowEnd); // a chain, no overlap
    }
    expect((await ledgerEntriesOfJob(grid.db, ok.id)).length).toBeGreaterThan(1);
    const usage = new Map((await listUsageAccounts(grid.db)).map((a) => [a.accountId, a.value]));
    const leaf = usage.get(userAccountId(`${inst(0)}-p`, `${inst(0)}-r`)) ?? 0;
    // 3×250 + 1×100 + 2×400 = 1650 GPU-seconds, barely decayed over minutes against a 7-day half-life.
    expect(leaf).toBeGreaterThan(1649);
    expect(leaf).toBeLessThanOrEqual(1650);
    expect(usage.get(inst(0))).toBeCloseTo(leaf, 6);
    // Another cycle changes nothing: windows are never counted twice.
    await controller.runOnce();
    expect(sum((await ledgerEntriesOfJob(grid.db, ok.id)).map((r) => r.gpuSeconds))).toBe(750);
    expect(new Map((await listUsageAccounts(grid.db)).map((a) => [a.accountId, a.value])).get(inst(0))).toBeCloseTo(leaf, 3);
  });

  it('a job cancelled in the store that its cluster still runs is cancelled again, and charged up to the cancel', async () => {
    const job = await queueJob(grid, 1, { gpuTypes: ['L40S'], gpusPerNode: 2, sim: { durationSeconds: 3000 } });
    const controller = controllerFor(grid);
    await controller.runOnce();
    const running = await getJob(grid.db, job.id);
    expect(running.state).toBe('running');
    grid.clock.advance(120_000);
    const at = grid.clock.now();
    // What the job service does when the cluster call fails: the cancel is persisted, the cluster is not told.
    await transitionJobs(grid.db, [{ jobId: job.id, from: ['running'], to: 'cancelled', at, patch: { endedAt: at, reason: 'cancelled' } }]);
    expect((await grid.sims.get('c-isb')!.find(running.dispatchKey!))?.state).toBe('running');
    await controller.runOnce();
    expect((await grid.sims.get('c-isb')!.find(running.dispatchKey!))?.state).toBe('cancelled');
    expect(sum((await ledgerEntriesOfJob(grid.db, job.id)).map((r) => r.gpuSeconds))).toBe(2 * 120);
    expect(await getJob(grid.db, job.id)).toMatchObject({ state: 'cancelled' });
  });

  it('reclaim: borrowed jobs are marked, cancelled and requeued; the job within its share starts next cycle', async () => {
    const controller = controllerFor(grid);
    // Institution 0 (nominal 14 of 56 GPUs) fills the 32 H100s: one job within share, three borrowed.
    const hogs = [];
    for (let k = 0; k < 4; k++) hogs.push(await queueJob(grid, 0, { gpuTypes: ['H100-80GB'], gpusPerNode: 8, sim: { durationSeconds: 20_000 }, walltimeSeconds: 30_000 }));
    await controller.runOnce();
    const placed = await Promise.all(hogs.map((h) => getJob(grid.db, h.id)));
    expect(placed.every((j) => j.state === 'running')).toBe(true);
    expect(placed.filter((j) => j.borrowed).length).toBe(3);
    grid.clock.advance(60_000);
    const victim = await queueJob(grid, 2, { gpuTypes: ['H100-80GB'], gpusPerNode: 8, sim: { durationSeconds: 100 } });
    const report = await controller.runOnce();
    expect(report).toMatchObject({ preempted: 1, again: true });
    const pending = await getJob(grid.db, victim.id);
    expect(pending).toMatchObject({ state: 'queued', reason: 'Resources' });
    expect(String(pending.reasonData?.['message'])).toContain('reclaimed');
    const preempted = (await Promise.all(hogs.map((h) => getJob(grid.db, h.id)))).filter((j) => j.state === 'queued');
    expect(preempted).toHaveLength(1);
    const events = await jobEvents(grid.db, preempted[0]!.id);
    expect(events.slice(-2).map((e) => e.to)).toEqual(['preempted', 'queued']);
    expect(events.at(-2)!.data).toMatchObject({ forJobId: victim.id });
    expect(sum((await ledgerEntriesOfJob(grid.db, preempted[0]!.id)).map((r) => r.gpuSeconds))).toBe(8 * 60);
    // The preemption time is kept through the requeue: the requeued job may not borrow again for 10 minutes.
    expect(preempted[0]!.preemptedAt).toBe(events.at(-2)!.at);
    await controller.runOnce();
    expect(await getJob(grid.db, victim.id)).toMatchObject({ state: 'running' });
    expect(await getJob(grid.db, preempted[0]!.id)).toMatchObject({ state: 'queued', reason: 'ConcurrentLimit', reasonData: { message: expect.stringMatching(/^preempted recently/) } });
    await drain(grid, controller, 3_600_000);
    expect(createdKeys(grid, preempted[0]!.id)).toHaveLength(2); // its first run, and the one after requeue
  });

  it('pending jobs carry reason, position, estimate and factors; an unchanged queue is not rewritten', async () => {
    const controller = controllerFor(grid, { tuning: { verdictRefreshCycles: 100 } });
    const big = await queueJob(grid, 3, { gpuTypes: ['H100-80GB'], nodes: 4, gpusPerNode: 8, sim: { durationSeconds: 3000 } });
    await controller.runOnce();
    expect((await getJob(grid.db, big.id)).state).toBe('running');
    // Same institution: its own borrowed job is never a reclaim victim for it, so the job simply waits.
    const waiting = await queueJob(grid, 3, { gpuTypes: ['H100-80GB'], gpusPerNode: 8 });
    expect((await controller.runOnce()).verdictsWritten).toBe(1);
    const job = await getJob(grid.db, waiting.id);
    expect(['Resources', 'Reserved']).toContain(job.reason);
    expect(job.reasonData).toMatchObject({ position: 1, message: expect.stringMatching(/H100|h100/) });
    expect(job.reasonData?.['factors']).toMatchObject({ fairshare: expect.any(Number), age: expect.any(Number), qos: expect.any(Number), size: expect.any(Number) });
    expect(job.priority).toBeGreaterThan(0);
    if (job.reason === 'Reserved') expect(job.reasonData?.['estimatedStart']).toBe((await getJob(grid.db, big.id)).startedAt! + 3600_000);
    expect((await controller.runOnce()).verdictsWritten).toBe(0);
    await drain(grid, controller);
  });
});
