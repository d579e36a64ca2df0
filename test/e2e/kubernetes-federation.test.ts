/**
 * Issue 6 end to end: the ncg server with the national sim grid and one Kubernetes cluster — the
 * in-process API server fake, reached through its generated kubeconfig exactly as a real cluster would be
 * — as a `kind: kubernetes` entry of its config. The cluster is listed with its pool; jobs over REST for
 * its GPU type (H200 nodes, mapped to `h200-141gb` in the entry; no sim pool has it) run there as
 * Indexed Jobs whose pods the fake runs for each job's `sim` duration, and end as they should: success,
 * a non-zero exit, a deadline (walltime) → timeout, a 2-node gang, a cancel. The ledger's GPU-seconds
 * match GPUs × run time and no Job is created twice. Needs no outside service, so it always runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { FakeKubernetes } from '../helpers/k8s-fake/fake-cluster.js';
import { allocationGpuSeconds, ncgCli, runSeconds, startFederatedServer, submitJob, waitForJob, type FederatedServer, type JobBody } from '../helpers/federation-server.js';

// Not `hub-lahore-k8s`: that id is the seed's sim cluster at the same site.
const CLUSTER = 'hub-lahore-kube';
const POOL = 'NVIDIA-H200';
const GPU_TYPE = 'h200-141gb';
const ENDED = ['succeeded', 'failed', 'cancelled'];
const SMALL = { gpuType: GPU_TYPE, cpusPerNode: 2, memoryGbPerNode: 4, walltime: '10m', image: 'busybox:1.36', command: ['sh', '-c', 'true'] };

describe('ncg federating a Kubernetes cluster (API server fake)', () => {
  let fake: FakeKubernetes;
  let server: FederatedServer;
  let project: string;
  /** ncg job id of every Job the fake saw created (an ADDED event each). */
  const jobsCreated: string[] = [];

  beforeAll(async () => {
    const t0 = performance.now();
    // Speed 1: the loop runs on wall time with a federated cluster, and run times are compared with it.
    fake = await FakeKubernetes.start({
      speed: 1,
      nodes: [
        { name: 'gpu-h200-1', gpus: 8, product: POOL },
        { name: 'gpu-h200-2', gpus: 8, product: POOL },
        { name: 'cpu-1', gpus: 0 },
      ],
    });
    fake.store.subscribe((ev) => {
      if (ev.kind === 'Job' && ev.type === 'ADDED') jobsCreated.push(ev.object.metadata.annotations?.['ncg.io/job-id'] ?? '?');
    });
    server = await startFederatedServer([
      {
        id: CLUSTER,
        site: 'hub-lahore',
        name: 'National AI Hub — Kubernetes (fake)',
        kind: 'kubernetes',
        kubernetes: {
          kubeconfig: fake.kubeconfigPath,
          context: 'fake',
          // A product the GPU catalogue does not know yet gets its ncg type from the entry.
          gpuTypes: { [POOL]: GPU_TYPE },
          timeouts: { requestSeconds: 5, watchBackoffMaxSeconds: 1, exitCodeGraceSeconds: 2 },
        },
      },
    ]);
    project = (await sql<{ id: string }>`select id from projects where institution_id = 'itu' order by id limit 1`.execute(server.ncg.database.db)).rows[0]!.id;
    console.log(`kubernetes federation: server up on ${server.database} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('GET /v1/clusters and ncg clusters list the Kubernetes cluster with its GPU pool, next to the sim grid', { timeout: 120_000 }, async () => {
    const { body } = await server.call('GET', '/v1/clusters');
    const k8s = body.items.find((c: { id: string }) => c.id === CLUSTER);
    expect(k8s, JSON.stringify(body.items.map((c: { id: string }) => c.id))).toMatchObject({ kind: 'kubernetes', siteId: 'hub-lahore', state: 'active', reachable: true, totalGpus: 16, freeGpus: 16 });
    expect(k8s.pools.map((p: Record<string, unknown>) => [p.name, p.gpuType, p.nodes, p.gpusPerNode, p.totalGpus])).toEqual([[POOL, GPU_TYPE, 2, 8, 16]]);
    expect(body.items.filter((c: { kind: string }) => c.kind === 'sim')).toHaveLength(13);

    const out = await ncgCli(server, ['clusters']);
    console.log(`ncg clusters (Kubernetes rows):\n${out.split('\n').filter((l) => l.startsWith('CLUSTER') || l.startsWith(CLUSTER)).join('\n')}`);
    expect(out).toMatch(new RegExp(`^${CLUSTER}\\s+Lahore\\s+kubernetes\\s+active\\s+${POOL}\\s+${GPU_TYPE}\\s+2×8\\s+16/16\\s*$`, 'm'));
  });

  it('jobs over REST run on Kubernetes: success, exit code, deadline → timeout, a gang, a cancel — with GPU-seconds, one Job each', { timeout: 90_000 }, async () => {
    const t0 = performance.now();
    const [ok, exit7, deadline, gang, long] = await Promise.all([
      submitJob(server, { ...SMALL, name: 'k-ok', project, gpusPerNode: 2, sim: { durationSeconds: 3 } }),
      submitJob(server, { ...SMALL, name: 'k-exit7', project, sim: { durationSeconds: 2, exitCode: 7 } }),
      // activeDeadlineSeconds = walltime: the pods would run 120 s, the Job is stopped at 3.
      submitJob(server, { ...SMALL, name: 'k-deadline', project, walltime: 3, sim: { durationSeconds: 120 } }),
      submitJob(server, { ...SMALL, name: 'k-gang', project, nodes: 2, gpusPerNode: 4, sim: { durationSeconds: 3 } }),
      submitJob(server, { ...SMALL, name: 'k-cancel', project, sim: { durationSeconds: 300 } }),
    ]);

    const running = await waitForJob(server, long.id, ['running', ...ENDED]);
    expect(running).toMatchObject({ state: 'running', cluster: CLUSTER, pool: `${CLUSTER}-${POOL.toLowerCase()}` });
    expect((await server.call('DELETE', `/v1/jobs/${long.id}`)).body.state).toBe('cancelled');

    const done: Record<string, JobBody> = {};
    for (const [name, job] of Object.entries({ ok, exit7, deadline, gang, long })) done[name] = await waitForJob(server, job.id, ENDED);
    expect(done.ok).toMatchObject({ state: 'succeeded', exitCode: 0, cluster: CLUSTER });
    expect(done.exit7).toMatchObject({ state: 'failed', exitCode: 7, reason: 'nonzero_exit', cluster: CLUSTER });
    expect(done.deadline).toMatchObject({ state: 'failed', reason: 'timeout', cluster: CLUSTER });
    expect(done.gang).toMatchObject({ state: 'succeeded', exitCode: 0, cluster: CLUSTER });
    expect(done.gang!.nodeNames!.slice().sort()).toEqual(['gpu-h200-1', 'gpu-h200-2']);
    expect(done.long!.state).toBe('cancelled');

    // The cancel deletes the Job (and its pods) on the cluster; finished Jobs stay until their TTL.
    const deadlineAt = Date.now() + 10_000;
    while (fake.list('Job').some((j) => j.metadata.annotations?.['ncg.io/job-id'] === long.id) && Date.now() < deadlineAt) await new Promise((r) => setTimeout(r, 100));
    expect(fake.list('Job').map((j) => j.metadata.annotations?.['ncg.io/job-id'])).not.toContain(long.id);
    expect(fake.list('Pod').filter((p) => p.metadata.labels?.['ncg.io/job-id'] !== undefined && p.status?.['phase'] === 'Running')).toHaveLength(0);

    // One Job per ncg job, never two.
    expect(jobsCreated.slice().sort()).toEqual([ok, exit7, deadline, gang, long].map((j) => j.id).sort());

    // GPU-seconds = GPUs × run time (the fake stamps whole seconds); each run lasted about its sim duration.
    const expected: [string, number, number][] = [['ok', 2, 3], ['exit7', 1, 2], ['deadline', 1, 3], ['gang', 8, 3]];
    for (const [name, gpus, seconds] of expected) {
      const job = done[name]!;
      const charged = await allocationGpuSeconds(server, job.id);
      expect(charged.gpuSeconds, name).toBe(Math.round(gpus * runSeconds(job)));
      expect(runSeconds(job), `${name} run time`).toBeGreaterThanOrEqual(seconds - 1);
      expect(runSeconds(job), `${name} run time`).toBeLessThanOrEqual(seconds + 2);
    }
    const cancelled = await allocationGpuSeconds(server, long.id);
    expect(cancelled.gpuSeconds).toBe(Math.round(runSeconds(done.long!)));
    console.log(`kubernetes federation: 5 jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('ncg submit puts a job on the Kubernetes cluster, and it succeeds there', { timeout: 120_000 }, async () => {
    const out = await ncgCli(server, [
      'submit', '--project', project, '--name', 'cli-check', '--gpu-type', GPU_TYPE, '--gpus', '1', '--cpus', '2', '--mem', '4G',
      '--walltime', '5m', '--image', 'busybox:1.36', '--sim-duration', '2s', '--', 'sh', '-c', 'nvidia-smi -L',
    ]);
    console.log(`ncg submit:\n${out}`);
    const id = /submitted job (\S+) \(queued\)/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    const done = await waitForJob(server, id!, ENDED);
    expect(done).toMatchObject({ state: 'succeeded', exitCode: 0, cluster: CLUSTER });
    const job = fake.list('Job').find((j) => j.metadata.annotations?.['ncg.io/job-id'] === id);
    expect(job?.metadata.labels?.['ncg.io/project']).toBeDefined();
    expect(jobsCreated.filter((j) => j === id)).toHaveLength(1);
  });
});
