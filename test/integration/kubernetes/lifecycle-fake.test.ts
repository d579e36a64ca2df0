/**
 * Kubernetes-specific behaviour beyond the shared contract, over the API server fake: namespaces per
 * institution, the headless Service of a gang, Kueue's suspended Jobs, stuck image pulls and unschedulable
 * pods turned into verdicts, Jobs that vanish, TTL clean-up, a name held by an earlier dispatch, and the
 * kubeconfig's context.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKubernetesAdapter } from '../../../src/adapters/kubernetes/index.js';
import { ClusterRefusedError, ClusterUnavailableError } from '../../../src/adapters/port.js';
import { fakeRequest, pollFor, startFakeSetup, stateOf, type FakeSetup } from './fake-harness.js';

let setup: FakeSetup;

afterEach(async () => {
  await setup?.close();
});

describe('kubernetes adapter lifecycle on the fake', () => {
  it('per-institution mode creates the namespace on demand and labels everything', async () => {
    setup = await startFakeSetup({ config: { namespaceMode: 'per-institution' } });
    const r = await setup.adapter.submit(fakeRequest('k-ns', { institutionId: 'UET Lahore', jobId: 'j-77' }));
    const ns = r.externalId.split('/')[0]!;
    expect(ns).toMatch(/^ncg-uet-lahore-[0-9a-f]{8}$/);
    expect(setup.fake.list('Namespace').map((n) => n.metadata.name)).toContain(ns);
    const [job] = setup.fake.list('Job', ns);
    expect(job!.metadata.labels).toMatchObject({ 'ncg.io/job-id': 'j-77', 'ncg.io/project': 'p-1', 'app.kubernetes.io/managed-by': 'ncg' });
    expect(job!.metadata.annotations!['ncg.io/idempotency-key']).toBe('k-ns');
    await stateOf(setup.adapter, 'k-ns', ['succeeded']);
  });

  it('a two-node gang gets a headless Service with pod hostnames; cancel removes Job, pods and Service', async () => {
    setup = await startFakeSetup();
    await setup.adapter.submit(fakeRequest('k-gang', { nodes: ['gpu-h100-1', 'gpu-h100-2'], gpusPerNode: 8, durationSeconds: 3600 }));
    const running = await stateOf(setup.adapter, 'k-gang', ['running']);
    expect(running.nodeNames!.sort()).toEqual(['gpu-h100-1', 'gpu-h100-2']);
    const [svc] = setup.fake.list('Service', 'ncg');
    expect(svc!.spec).toMatchObject({ clusterIP: 'None' });
    expect(setup.fake.list('Pod', 'ncg').map((p) => `${p.spec!.hostname}.${p.spec!.subdomain}`).sort()).toEqual(['ncg-job-k-gang-0.ncg-job-k-gang', 'ncg-job-k-gang-1.ncg-job-k-gang']);
    await setup.adapter.cancel('k-gang');
    expect((await setup.adapter.find('k-gang'))!.state).toBe('cancelled');
    await pollFor(async () => ['Job', 'Pod', 'Service'].every((k) => setup.fake.list(k as 'Job', 'ncg').length === 0), 'Job, pods and Service to be gone');
  });

  it('Kueue mode: the Job waits suspended in its queue, then runs once admitted', async () => {
    setup = await startFakeSetup({ config: { kueue: { enabled: true, queueName: 'gpu-queue' } } });
    await setup.adapter.submit(fakeRequest('k-kueue'));
    const [job] = setup.fake.list('Job', 'ncg');
    expect(job!.spec!.suspend).toBe(true);
    expect(job!.metadata.labels!['kueue.x-k8s.io/queue-name']).toBe('gpu-queue');
    await new Promise((r) => setTimeout(r, 300));
    expect((await setup.adapter.find('k-kueue'))!.state).toBe('pending');
    expect(setup.fake.list('Pod', 'ncg')).toHaveLength(0);
    setup.fake.patchJobSpec('ncg', job!.metadata.name, { suspend: false });
    await stateOf(setup.adapter, 'k-kueue', ['running']);
    await stateOf(setup.adapter, 'k-kueue', ['succeeded']);
  });

  it('an image that cannot be pulled fails the job after the configured time, and its Job is removed', async () => {
    setup = await startFakeSetup({ config: { timeouts: { imagePullSeconds: 0.4 } } });
    setup.fake.faults.failImagePull('registry.example/missing:1');
    await setup.adapter.submit(fakeRequest('k-pull', { image: 'registry.example/missing:1' }));
    const first = await pollFor(async () => (await setup.adapter.find('k-pull'))?.state === 'pending' && setup.fake.list('Pod', 'ncg')[0]?.status?.containerStatuses, 'the pull to fail');
    expect(JSON.stringify(first)).toMatch(/ErrImagePull|ImagePullBackOff/);
    const done = await stateOf(setup.adapter, 'k-pull', ['failed']);
    expect(done.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    await pollFor(async () => setup.fake.list('Job', 'ncg').length === 0, 'the Job to be deleted');
    expect((await setup.adapter.find('k-pull'))!.state).toBe('failed');
  });

  it('pods unschedulable for longer than the configured time give the job back (preempted, unschedulable)', async () => {
    setup = await startFakeSetup({ config: { timeouts: { unschedulableSeconds: 0.4 } } });
    setup.fake.cordon('gpu-h100-1');
    const seen: string[] = [];
    setup.adapter.watch((s) => seen.push(s.state));
    await setup.adapter.submit(fakeRequest('k-unsched'));
    const done = await stateOf(setup.adapter, 'k-unsched', ['preempted']);
    expect(done.reason).toBe('unschedulable');
    await pollFor(async () => setup.fake.list('Job', 'ncg').length === 0, 'the Job to be deleted');
    // Uncordoning later must not start it behind ncg's back: the Job is gone and the verdict sticks.
    setup.fake.cordon('gpu-h100-1', false);
    expect((await setup.adapter.find('k-unsched'))!.state).toBe('preempted');
    expect(seen).toEqual(['pending', 'preempted']);
  });

  it('a Job deleted behind ncg’s back while running is reported lost', async () => {
    setup = await startFakeSetup();
    await setup.adapter.submit(fakeRequest('k-vanish', { durationSeconds: 3600 }));
    await stateOf(setup.adapter, 'k-vanish', ['running']);
    setup.fake.store.delete('Job', 'ncg', 'ncg-job-k-vanish');
    expect(await stateOf(setup.adapter, 'k-vanish', ['lost'])).toMatchObject({ reason: 'lost', externalId: 'ncg/ncg-job-k-vanish' });
    // Submitting a lost dispatch again creates its Job anew (as the sim adapter does).
    expect((await setup.adapter.submit(fakeRequest('k-vanish', { durationSeconds: 3600 }))).created).toBe(true);
    expect(setup.fake.createdCount('Job', 'ncg', 'ncg-job-k-vanish')).toBe(2);
    await stateOf(setup.adapter, 'k-vanish', ['running']);
  });

  it('a finished Job removed by its TTL keeps its final status', async () => {
    setup = await startFakeSetup({ config: { ttlSecondsAfterFinished: 20 } });
    await setup.adapter.submit(fakeRequest('k-ttl', { durationSeconds: 10, exitCode: 2 }));
    await stateOf(setup.adapter, 'k-ttl', ['failed']);
    await pollFor(async () => setup.fake.list('Job', 'ncg').length === 0, 'the TTL controller to delete the Job');
    expect(await setup.adapter.find('k-ttl')).toMatchObject({ state: 'failed', exitCode: 2 });
  });

  it('a new dispatch of the same job waits while an earlier one holds the name, then replaces it once finished', async () => {
    setup = await startFakeSetup();
    await setup.adapter.submit(fakeRequest('attempt-1', { jobId: 'j-9', durationSeconds: 50 }));
    await expect(setup.adapter.submit(fakeRequest('attempt-2', { jobId: 'j-9' }))).rejects.toThrow(ClusterUnavailableError);
    await stateOf(setup.adapter, 'attempt-1', ['succeeded']);
    await expect(setup.adapter.submit(fakeRequest('attempt-2', { jobId: 'j-9' }))).rejects.toThrow(/finished; now deleted/);
    expect((await setup.adapter.submit(fakeRequest('attempt-2', { jobId: 'j-9' }))).created).toBe(true);
    expect(setup.fake.createdCount('Job', 'ncg', 'ncg-j-9')).toBe(2);
    expect(await setup.adapter.find('attempt-1')).toMatchObject({ state: 'succeeded' });
    await stateOf(setup.adapter, 'attempt-2', ['succeeded']);
  });

  it('refusals: a bad request never reaches the cluster; a 422 from the API server is not retried', async () => {
    setup = await startFakeSetup();
    await expect(setup.adapter.submit(fakeRequest('k-bad', { nodes: ['gpu-h100-1', 'gpu-h100-1'] }))).rejects.toThrow(ClusterRefusedError);
    setup.fake.faults.failNext(5, { method: 'POST' }, 422);
    await expect(setup.adapter.submit(fakeRequest('k-422'))).rejects.toThrow(ClusterRefusedError);
    expect(setup.fake.faults.count('POST /apis/batch/v1/namespaces/ncg/jobs')).toBe(1);
  });

  it('the kubeconfig context decides the cluster; a missing context fails at construction', async () => {
    setup = await startFakeSetup();
    const wrong = createKubernetesAdapter('k8s-wrong', { kubeconfig: setup.fake.kubeconfigPath, context: 'unreachable', timeouts: { requestSeconds: 1 } }, { attempts: 1 });
    expect((await wrong.health()).ok).toBe(false);
    const t0 = Date.now();
    await expect(wrong.status(['any'])).rejects.toBeInstanceOf(ClusterUnavailableError);
    expect(Date.now() - t0).toBeLessThan(5000);
    await wrong.close();
    expect(() => createKubernetesAdapter('k8s-none', { kubeconfig: setup.fake.kubeconfigPath, context: 'nope' })).toThrow(/no context "nope"/);
    expect((await setup.adapter.health()).ok).toBe(true);
    await setup.fake.close();
    expect((await setup.adapter.health()).ok).toBe(false);
    setup = { ...setup, close: () => setup.adapter.close() };
  });
});
