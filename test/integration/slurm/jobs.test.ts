/**
 * Slurm-specific behaviour against the real test Slurm, on partition h100 (node3, node4): typed inventory,
 * what a submission becomes in Slurm, exit codes, gangs, cancel, drained nodes and permanent refusals.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterRefusedError, type ExternalJobState, type SubmitRequest } from '../../../src/adapters/port.js';
import type { SlurmAdapter } from '../../../src/adapters/slurm/index.js';
import type { JobSpec } from '../../../src/domain/types.js';
import { scontrol, scriptJob, slurmBase, slurmGate, slurmJobsWithKey, testAdapter, waitFor } from './slurm-harness.js';

vi.setConfig({ testTimeout: 60_000 });

const gate = await slurmGate({ partitions: ['h100'] });
let seq = 0;

function req(spec: JobSpec, nodeNames: string[], over: Partial<SubmitRequest> = {}): SubmitRequest {
  const key = `slurm-jobs-${process.pid}-${Date.now().toString(36)}-${++seq}`;
  return { idempotencyKey: key, jobId: `job-${key}`, institutionId: 'inst-bob', projectId: spec.projectId, userId: 'u-bob', spec, poolName: 'h100', nodeNames, ...over };
}

describe.runIf(gate.available)('slurm adapter on a real Slurm (partition h100)', () => {
  const adapter: SlurmAdapter = testAdapter();
  const submitted: string[] = [];

  async function submit(r: SubmitRequest) {
    submitted.push(r.idempotencyKey);
    return adapter.submit(r);
  }

  function until(key: string, states: ExternalJobState[]) {
    return waitFor(async () => {
      const [s] = await adapter.status([key]);
      return s && states.includes(s.state) ? s : undefined;
    }, `${key} to reach ${states.join('/')}`);
  }

  afterEach(async () => {
    for (const key of submitted.splice(0)) await adapter.cancel(key).catch(() => undefined);
  });
  afterAll(() => adapter.close());

  it('inventory shows each partition as a pool with its typed GPUs per node', async () => {
    const inv = await adapter.inventory();
    const shape = inv.pools.map((p) => ({ pool: p.name, type: p.gpuType, nodes: p.nodes.map((n) => [n.name, n.totalGpus]) }));
    expect(shape).toEqual([
      { pool: 'a100', type: 'a100', nodes: [['node1', 4], ['node2', 4]] },
      { pool: 'h100', type: 'h100', nodes: [['node3', 4], ['node4', 4]] },
    ]);
  });

  it('a 2-GPU job runs as the mapped user with the mapped account, holds 2 GPUs, and succeeds', async () => {
    const r = req(scriptJob('echo "gpus=$CUDA_VISIBLE_DEVICES job=$NCG_JOB_ID user=$(id -un)"; sleep 3', { gpuType: 'h100', gpusPerNode: 2, walltimeSeconds: 90 }), ['node3']);
    const { externalId, created } = await submit(r);
    expect(created).toBe(true);
    const running = await until(r.idempotencyKey, ['running']);
    expect(running.nodeNames).toEqual(['node3']);
    const node3 = (await adapter.inventory()).pools.find((p) => p.name === 'h100')!.nodes.find((n) => n.name === 'node3')!;
    expect(node3.freeGpus).toBe(2);
    const [raw] = await slurmJobsWithKey(r.idempotencyKey);
    expect(raw).toMatchObject({ job_id: Number(externalId), user_name: 'ncg-bob', account: 'physics', partition: 'h100', tres_per_node: 'gres:gpu:h100:2', time_limit: 2, name: `ncg-${r.jobId}` });
    const done = await until(r.idempotencyKey, ['succeeded', 'failed', 'cancelled', 'lost']);
    expect(done).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(done.endedAt! - done.startedAt!).toBeGreaterThanOrEqual(2_000);
    const out = readdirSync(`${slurmBase}/work/ncg-bob`).find((f) => f === `ncg-${r.jobId}-${externalId}.out`);
    expect(out).toBeDefined();
    expect(readFileSync(`${slurmBase}/work/ncg-bob/${out}`, 'utf8')).toMatch(new RegExp(`gpus=\\d,\\d job=${r.jobId} user=ncg-bob`));
  });

  it('a job that exits 3 is failed with exit code 3', async () => {
    const r = req(scriptJob('exit 3', { gpuType: 'h100' }), ['node3']);
    await submit(r);
    const done = await until(r.idempotencyKey, ['succeeded', 'failed', 'cancelled', 'lost']);
    expect(done).toMatchObject({ state: 'failed', exitCode: 3, reason: 'exit_code' });
  });

  it('a job killed by a signal reports it', async () => {
    const r = req(scriptJob('ulimit -c 0; kill -SEGV $$', { gpuType: 'h100' }), ['node3']);
    await submit(r);
    const done = await until(r.idempotencyKey, ['succeeded', 'failed', 'cancelled', 'lost']);
    expect(done).toMatchObject({ state: 'failed', exitCode: 128 + 11, reason: 'signal:SIGSEGV' });
  });

  it('a 2-node × 2-GPU gang runs on both nodes at once', async () => {
    // A multi-node command already runs once per node (through srun): each node says who it is.
    const script = 'echo "on=$SLURMD_NODENAME gpus=$CUDA_VISIBLE_DEVICES"; sleep 3';
    const r = req(scriptJob(script, { gpuType: 'h100', nodes: 2, gpusPerNode: 2 }), ['node3', 'node4']);
    await submit(r);
    const running = await until(r.idempotencyKey, ['running']);
    expect(running.nodeNames).toEqual(['node3', 'node4']);
    const [raw] = await slurmJobsWithKey(r.idempotencyKey);
    expect(raw).toMatchObject({ node_count: 2, tres_per_node: 'gres:gpu:h100:2' });
    expect(await until(r.idempotencyKey, ['succeeded', 'failed'])).toMatchObject({ state: 'succeeded' });
    const out = readFileSync(`${slurmBase}/work/ncg-bob/ncg-${r.jobId}-${raw!.job_id}.out`, 'utf8');
    expect(out.match(/on=node\d gpus=\d,\d/g)?.sort()).toEqual(['on=node3 gpus=0,1', 'on=node4 gpus=0,1']);
  });

  it('cancel of a running job cancels it once; again is a no-op', async () => {
    const r = req(scriptJob('sleep 600', { gpuType: 'h100' }), ['node3']);
    const { externalId } = await submit(r);
    await until(r.idempotencyKey, ['running']);
    await adapter.cancel(r.idempotencyKey);
    const done = await until(r.idempotencyKey, ['cancelled', 'failed', 'succeeded']);
    expect(done).toMatchObject({ state: 'cancelled', externalId, reason: 'cancelled' });
    expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt!);
    await expect(adapter.cancel(r.idempotencyKey)).resolves.toBeUndefined();
    expect((await slurmJobsWithKey(r.idempotencyKey)).map((j) => j.job_state)).toEqual(['CANCELLED']);
  });

  it('a drained node contributes nothing until resumed', async () => {
    await scontrol('update', 'NodeName=node3', 'State=DRAIN', 'Reason=ncg-test');
    try {
      const node3 = async () => (await adapter.inventory()).pools.find((p) => p.name === 'h100')!.nodes.find((n) => n.name === 'node3')!;
      expect(await node3()).toEqual({ name: 'node3', totalGpus: 4, freeGpus: 0, healthy: false });
    } finally {
      await scontrol('update', 'NodeName=node3', 'State=RESUME');
    }
    await waitFor(async () => (await adapter.inventory()).pools.find((p) => p.name === 'h100')!.nodes.find((n) => n.name === 'node3')!.healthy, 'node3 healthy again');
  });

  it('refuses for good what Slurm will never run here; the same key stays refused and no job ever runs', async () => {
    const tooBig = req(scriptJob('true', { gpuType: 'h100', gpusPerNode: 8 }), []);
    const err = await submit(tooBig).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterRefusedError);
    expect(String((err as Error).message)).toMatch(/2014|node configuration/i);
    await expect(submit(tooBig)).rejects.toThrow(/rejected this submission before/);
    // Slurm keeps one FAILED record of the rejected submission, which never got nodes.
    expect((await slurmJobsWithKey(tooBig.idempotencyKey)).map((j) => [j.job_state, j.nodes])).toEqual([['FAILED', '']]);
    const badPool = req(scriptJob('true', { gpuType: 'h100' }), [], { poolName: 'nope' });
    await expect(submit(badPool)).rejects.toBeInstanceOf(ClusterRefusedError);
    const unmapped = testAdapter({ accounts: { institutions: {}, users: {} } });
    await expect(unmapped.submit(req(scriptJob('true', { gpuType: 'h100' }), []))).rejects.toThrow(/no Slurm account mapping/);
    expect(await adapter.find(tooBig.idempotencyKey)).toBeUndefined();
  });
});
