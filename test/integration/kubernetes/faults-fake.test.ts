/**
 * The adapter under API server faults: 500s, connections reset before or after the write, watches closed
 * or cut, and 410 Gone. In every case it recovers, never creates a Job twice, and no job's end is missed
 * (neither by status() nor by watch() listeners).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKubernetesAdapter } from '../../../src/adapters/kubernetes/index.js';
import { ClusterUnavailableError, type ExternalJobStatus } from '../../../src/adapters/port.js';
import { fakeRequest, pollFor, startFakeSetup, stateOf, type FakeSetup } from './fake-harness.js';

const JOBS = '/apis/batch/v1/namespaces/ncg/jobs';
let setup: FakeSetup;

afterEach(async () => {
  await setup?.close();
});

/** Record every status the adapter's watch tells. */
function record(s: FakeSetup): ExternalJobStatus[] {
  const seen: ExternalJobStatus[] = [];
  s.adapter.watch((st) => seen.push(st));
  return seen;
}

describe('kubernetes adapter under API faults', () => {
  it('retries 500s on create inside the call: one Job', async () => {
    setup = await startFakeSetup();
    setup.fake.faults.failNext(2, { method: 'POST', path: JOBS });
    const r = await setup.adapter.submit(fakeRequest('k-500'));
    expect(r).toEqual({ externalId: 'ncg/ncg-job-k-500', created: true });
    expect(setup.fake.faults.count(`POST ${JOBS}`)).toBe(3);
    expect(setup.fake.createdCount('Job', 'ncg', 'ncg-job-k-500')).toBe(1);
  });

  it('500s beyond the retry budget surface as ClusterUnavailableError; the next submit creates the Job once', async () => {
    setup = await startFakeSetup();
    setup.fake.faults.failNext(3, { method: 'POST', path: JOBS });
    await expect(setup.adapter.submit(fakeRequest('k-busy'))).rejects.toBeInstanceOf(ClusterUnavailableError);
    expect(setup.fake.createdCount('Job', 'ncg', 'ncg-job-k-busy')).toBe(0);
    expect((await setup.adapter.submit(fakeRequest('k-busy'))).created).toBe(true);
    expect(setup.fake.createdCount('Job', 'ncg', 'ncg-job-k-busy')).toBe(1);
  });

  it('a reset before the request is handled is retried; a lost answer is adopted by key (409), never a second Job', async () => {
    setup = await startFakeSetup();
    setup.fake.faults.resetNext(1, { method: 'POST', path: JOBS });
    setup.fake.faults.loseAnswerNext(1, { method: 'POST', path: JOBS });
    const r = await setup.adapter.submit(fakeRequest('k-lost'));
    // Attempt 1 reset unhandled, attempt 2 created the Job but its answer was lost, attempt 3 got 409 and adopted it.
    expect(setup.fake.faults.count(`POST ${JOBS}`)).toBe(3);
    expect(r).toEqual({ externalId: 'ncg/ncg-job-k-lost', created: true });
    expect(setup.fake.createdCount('Job', 'ncg', 'ncg-job-k-lost')).toBe(1);
    await stateOf(setup.adapter, 'k-lost', ['succeeded']);
  });

  it('after a crash between create and acknowledgement, a new adapter finds the Job by key and does not create another', async () => {
    setup = await startFakeSetup();
    setup.fake.faults.loseAnswerNext(3, { method: 'POST', path: JOBS });
    await expect(setup.adapter.submit(fakeRequest('k-crash', { durationSeconds: 3600 }))).rejects.toBeInstanceOf(ClusterUnavailableError);
    await setup.adapter.close();
    const next = createKubernetesAdapter('k8s-test', { kubeconfig: setup.fake.kubeconfigPath, context: 'fake' });
    try {
      expect(await next.find('k-crash')).toMatchObject({ idempotencyKey: 'k-crash', externalId: 'ncg/ncg-job-k-crash' });
      expect(await next.submit(fakeRequest('k-crash', { durationSeconds: 3600 }))).toEqual({ externalId: 'ncg/ncg-job-k-crash', created: false });
      expect(setup.fake.createdCount('Job', 'ncg', 'ncg-job-k-crash')).toBe(1);
    } finally {
      await next.close();
    }
  });

  it('a watch closed by the server is resumed from its resourceVersion (no re-list) and the end is seen', async () => {
    setup = await startFakeSetup();
    const seen = record(setup);
    await setup.adapter.submit(fakeRequest('k-close', { durationSeconds: 150 }));
    await stateOf(setup.adapter, 'k-close', ['running']);
    const watchesBefore = setup.adapter.jobsWatch.stats.watches;
    expect(setup.fake.closeWatches()).toBeGreaterThanOrEqual(2);
    await stateOf(setup.adapter, 'k-close', ['succeeded']);
    expect(setup.adapter.jobsWatch.stats.watches).toBeGreaterThan(watchesBefore);
    expect(setup.adapter.jobsWatch.stats.lists).toBe(1);
    expect(seen.filter((s) => s.idempotencyKey === 'k-close').map((s) => s.state)).toEqual(['pending', 'running', 'succeeded']);
  });

  it('a watch connection cut mid-stream reconnects with backoff and the end is seen', async () => {
    setup = await startFakeSetup();
    const seen = record(setup);
    await setup.adapter.submit(fakeRequest('k-cut', { durationSeconds: 150, exitCode: 4 }));
    await stateOf(setup.adapter, 'k-cut', ['running']);
    expect(setup.fake.dropWatches()).toBeGreaterThanOrEqual(2);
    const done = await stateOf(setup.adapter, 'k-cut', ['failed']);
    expect(done).toMatchObject({ exitCode: 4, reason: 'nonzero_exit' });
    expect(seen.at(-1)).toMatchObject({ idempotencyKey: 'k-cut', state: 'failed', exitCode: 4 });
  });

  it('410 Gone after compaction: the informers re-list (through list 500s) and the end is still seen', async () => {
    setup = await startFakeSetup();
    const seen = record(setup);
    await setup.adapter.submit(fakeRequest('k-gone', { durationSeconds: 150 }));
    await stateOf(setup.adapter, 'k-gone', ['running']);
    setup.fake.compact();
    setup.fake.faults.failNext(2, { method: 'GET', path: JOBS, watch: false });
    setup.fake.closeWatches();
    await stateOf(setup.adapter, 'k-gone', ['succeeded']);
    expect(setup.adapter.jobsWatch.stats.gone).toBeGreaterThanOrEqual(1);
    expect(setup.adapter.jobsWatch.stats.lists).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ idempotencyKey: 'k-gone', state: 'succeeded' });
  });

  it('a forced 410 on the next watches is handled the same way', async () => {
    setup = await startFakeSetup();
    await setup.adapter.submit(fakeRequest('k-410', { durationSeconds: 100 }));
    await stateOf(setup.adapter, 'k-410', ['running']);
    setup.fake.faults.goneOnNextWatch(2);
    setup.fake.closeWatches();
    await stateOf(setup.adapter, 'k-410', ['succeeded']);
    const { jobsWatch: j, podsWatch: p } = setup.adapter;
    expect(j.stats.gone + p.stats.gone).toBe(2);
    // Each 410 costs exactly one re-list, on top of the two initial lists.
    expect(j.stats.lists + p.stats.lists).toBe(4);
  });

  it('a job that ends while every watch fails is reported once the API server answers again', async () => {
    setup = await startFakeSetup();
    const seen = record(setup);
    await setup.adapter.submit(fakeRequest('k-dark', { durationSeconds: 60 }));
    await stateOf(setup.adapter, 'k-dark', ['running']);
    setup.fake.faults.failNext(1_000_000, { watch: true });
    setup.fake.closeWatches();
    await pollFor(async () => setup.fake.list('Job', 'ncg').some((j) => JSON.stringify(j.status).includes('"Complete"')), 'the fake to complete the Job');
    // The cache is stale while disconnected: the adapter cannot know yet.
    expect((await setup.adapter.status(['k-dark']))[0]!.state).toBe('running');
    setup.fake.faults.clear();
    await stateOf(setup.adapter, 'k-dark', ['succeeded']);
    expect(seen.at(-1)).toMatchObject({ idempotencyKey: 'k-dark', state: 'succeeded', exitCode: 0 });
    expect(setup.adapter.jobsWatch.stats.failures).toBeGreaterThan(0);
  });

  it('cancel retries through 500s and deletes the Job once', async () => {
    setup = await startFakeSetup();
    await setup.adapter.submit(fakeRequest('k-cancel', { durationSeconds: 3600 }));
    await stateOf(setup.adapter, 'k-cancel', ['running']);
    setup.fake.faults.failNext(2, { method: 'DELETE' });
    await setup.adapter.cancel('k-cancel');
    expect(await setup.adapter.find('k-cancel')).toMatchObject({ state: 'cancelled' });
    await pollFor(async () => setup.fake.list('Pod', 'ncg').length === 0 && setup.fake.list('Job', 'ncg').length === 0, 'Job and pods to be gone');
  });
});
