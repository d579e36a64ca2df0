/**
 * ncg.v1.JobService through a grpc-js client generated from proto/: submit (with idempotency), get, list
 * with filters and pages, cancel, and Watch following a job to its end (the test moves the job as the
 * control loop would).
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGrpcHarness, validSubmit, type GrpcHarness } from './grpc-harness.js';

let h: GrpcHarness;
beforeAll(async () => {
  h = await startGrpcHarness();
});
afterAll(async () => h?.close());

async function submit(overrides: Record<string, unknown> = {}, token = 'admin') {
  const r = await h.call(h.jobs, 'Submit', validSubmit(overrides), { token });
  expect(r.err).toBeUndefined();
  return r.res.job;
}

/** Read a Watch stream to its end: the messages, and the status it ended with. */
function watch(request: Record<string, unknown>, token = 'admin'): { messages: any[]; done: Promise<grpc.StatusObject>; call: grpc.ClientReadableStream<any> } {
  const call = (h.jobs as any).Watch(request, h.metadata(token)) as grpc.ClientReadableStream<any>;
  const messages: any[] = [];
  call.on('data', (m) => messages.push(m));
  const done = new Promise<grpc.StatusObject>((resolve) => {
    call.on('status', resolve);
    call.on('error', () => undefined); // the status event carries the outcome
  });
  return { messages, done, call };
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('JobService.Submit', () => {
  it('queues a job with the REST defaults and the pools’ spelling of its GPU type', async () => {
    const before = await h.jobCount();
    const r = await h.call(h.jobs, 'Submit', validSubmit({ sim: { duration_seconds: 30 } }, 'inst-01'), { token: 'inst-01-r1' });
    expect(r.err).toBeUndefined();
    expect(r.res.created).toBe(true);
    expect(r.res.job).toMatchObject({
      state: 'JOB_STATE_QUEUED',
      institution: 'inst-01',
      project: 'inst-01-p1',
      user: 'inst-01-r1',
      name: 'demo',
      spec: { gpu_types: ['H100-80GB'], nodes: 1, gpus_per_node: 2, cpus_per_node: 8, memory_gb_per_node: 32, walltime_seconds: 3600, qos: 'QOS_NORMAL', command: ['python', 'train.py'], sim: { duration_seconds: 30 } },
      pending: { reason: 'NotYetScheduled', seen_by_cycle: false },
    });
    expect(r.res.job.id).toMatch(/^j-/);
    expect(Math.abs(r.res.job.submitted_at_ms - Date.now())).toBeLessThan(60_000);
    expect(r.res.job.started_at_ms).toBeUndefined();
    expect(await h.jobCount()).toBe(before + 1);
  });

  it('takes several GPU types, QoS, env and a preferred site', async () => {
    const job = await submit({ gpu_types: ['h100-80gb', 'l40s'], qos: 'QOS_HIGH', env: { EPOCHS: '3' }, preferred_site: 'coe-islamabad', nodes: 2 });
    expect(job.spec).toMatchObject({ gpu_types: ['H100-80GB', 'L40S'], qos: 'QOS_HIGH', env: { EPOCHS: '3' }, preferred_site: 'coe-islamabad', nodes: 2 });
  });

  it('an idempotency key (field or metadata) returns the first job; a different request with it is ALREADY_EXISTS', async () => {
    const first = await h.call(h.jobs, 'Submit', validSubmit({ idempotency_key: 'grpc-key-1' }));
    const again = await h.call(h.jobs, 'Submit', validSubmit(), { metadata: { 'idempotency-key': 'grpc-key-1' } });
    expect([first.res.created, again.res.created]).toEqual([true, false]);
    expect(again.res.job.id).toBe(first.res.job.id);
    const changed = await h.call(h.jobs, 'Submit', validSubmit({ gpus_per_node: 4, idempotency_key: 'grpc-key-1' }));
    expect(changed.err?.code).toBe(grpc.status.ALREADY_EXISTS);
    const conflicting = await h.call(h.jobs, 'Submit', validSubmit({ idempotency_key: 'a' }), { metadata: { 'idempotency-key': 'b' } });
    expect(conflicting.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(conflicting.err?.details).toContain('idempotency_key');
  });
});

describe('JobService.Get, List and Cancel', () => {
  it('gets a job with its events', async () => {
    const job = await submit();
    const r = await h.call(h.jobs, 'Get', { id: job.id });
    expect(r.res.job).toMatchObject({ id: job.id, state: 'JOB_STATE_QUEUED', pending: { reason: 'NotYetScheduled' } });
    expect(r.res.job.events).toHaveLength(1);
    expect(r.res.job.events[0]).toMatchObject({ from: 'JOB_STATE_UNSPECIFIED', to: 'JOB_STATE_QUEUED', reason: 'submitted' });
    expect(JSON.parse(r.res.job.events[0].data_json)).toEqual(expect.any(Object));
  });

  it('lists by state and project, newest first, a page at a time', async () => {
    const a = await submit();
    const b = await submit();
    await h.move(a.id, ['queued'], 'cancelled', { endedAt: Date.now() });
    const queued = await h.call(h.jobs, 'List', { states: ['JOB_STATE_QUEUED'], project: 'inst-00-p1', limit: 500 });
    const ids = queued.res.jobs.map((j: { id: string }) => j.id);
    expect(ids).toContain(b.id);
    expect(ids).not.toContain(a.id);
    expect(queued.res.jobs.every((j: { state: string }) => j.state === 'JOB_STATE_QUEUED')).toBe(true);
    expect([...ids].sort().reverse()).toEqual(ids);

    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await h.call(h.jobs, 'List', { limit: 2, cursor });
      expect(page.err).toBeUndefined();
      seen.push(...page.res.jobs.map((j: { id: string }) => j.id));
      cursor = page.res.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(await h.jobCount());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('a researcher lists only their own jobs', async () => {
    const others = await submit();
    const own = (await h.call(h.jobs, 'Submit', validSubmit({}, 'inst-01'), { token: 'inst-01-r1' })).res.job;
    const r = await h.call(h.jobs, 'List', {}, { token: 'inst-01-r1' });
    expect(r.res.jobs.map((j: { id: string }) => j.id)).toContain(own.id);
    expect(r.res.jobs.length).toBeGreaterThan(0);
    expect(r.res.jobs.every((j: { user: string }) => j.user === 'inst-01-r1')).toBe(true);
    expect(r.res.jobs.map((j: { id: string }) => j.id)).not.toContain(others.id);
  });

  it('cancels once; a second cancel changes nothing', async () => {
    const job = await submit();
    const first = await h.call(h.jobs, 'Cancel', { id: job.id });
    expect(first.res).toMatchObject({ changed: true, job: { id: job.id, state: 'JOB_STATE_CANCELLED' } });
    const second = await h.call(h.jobs, 'Cancel', { id: job.id });
    expect(second.res).toMatchObject({ changed: false, job: { state: 'JOB_STATE_CANCELLED' } });
  });
});

describe('JobService.Watch', () => {
  it('sends the history, then each state change, and ends after the final one', async () => {
    const job = await submit({ sim: { duration_seconds: 5 } });
    const w = watch({ id: job.id });
    await until(() => w.messages.length === 1);
    await h.move(job.id, ['queued'], 'dispatching', { clusterId: 'isb-k8s', poolId: 'isb-k8s-h100' });
    await h.move(job.id, ['dispatching'], 'running', { startedAt: Date.now() });
    await until(() => w.messages.length === 3);
    await h.move(job.id, ['running'], 'succeeded', { endedAt: Date.now(), exitCode: 0 }, 'completed');
    const status = await w.done;
    expect(status.code).toBe(grpc.status.OK);
    expect(w.messages.map((m) => m.event.to)).toEqual(['JOB_STATE_QUEUED', 'JOB_STATE_DISPATCHING', 'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']);
    const last = w.messages[3];
    expect(last.job).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', cluster: 'isb-k8s', pool: 'isb-k8s-h100', exit_code: 0 });
    expect(last.event).toMatchObject({ from: 'JOB_STATE_RUNNING', reason: 'completed' });
    const ids = w.messages.map((m) => m.event.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);

    // Resuming after the second event replays only what came later, and a finished watch ends at once.
    const resumed = watch({ id: job.id, after_event_id: ids[1] });
    expect((await resumed.done).code).toBe(grpc.status.OK);
    expect(resumed.messages.map((m) => m.event.to)).toEqual(['JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']);
    const finished = watch({ id: job.id, after_event_id: ids[3] });
    expect((await finished.done).code).toBe(grpc.status.OK);
    expect(finished.messages).toEqual([]);
  });

  it('ends when the job is cancelled through the API', async () => {
    const job = await submit();
    const w = watch({ id: job.id });
    await until(() => w.messages.length === 1);
    await h.call(h.jobs, 'Cancel', { id: job.id });
    expect((await w.done).code).toBe(grpc.status.OK);
    expect(w.messages.at(-1).event.to).toBe('JOB_STATE_CANCELLED');
  });

  it('refuses a job the caller may not see as NOT_FOUND, and a missing token as UNAUTHENTICATED', async () => {
    const job = await submit();
    expect((await watch({ id: job.id }, 'inst-01-r1').done).code).toBe(grpc.status.NOT_FOUND);
    expect((await watch({ id: job.id }, 'ncg_nope').done).code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await watch({ id: 'j-nope' }).done).code).toBe(grpc.status.NOT_FOUND);
  });

  it('stops polling when the client cancels', async () => {
    const job = await submit();
    const w = watch({ id: job.id });
    await until(() => w.messages.length === 1);
    w.call.cancel();
    expect((await w.done).code).toBe(grpc.status.CANCELLED);
  });
});
