/**
 * The adapter's error handling and bookkeeping against a scripted slurmrestd (a fetch stand-in): version
 * refusal, errors[] classification, token retry, backoff, and lost jobs. The real daemon is exercised in
 * test/integration/slurm; these cases need answers a healthy Slurm does not give on demand.
 */
import { describe, expect, it } from 'vitest';
import { ClusterRefusedError, ClusterUnavailableError, type SubmitRequest } from '../../../src/adapters/port.js';
import { SlurmUnavailableError, SlurmVersionError, createSlurmAdapter } from '../../../src/adapters/slurm/index.js';

type Route = (method: string, path: string, body: unknown) => { status: number; body: unknown } | undefined;

const openapi = (v = '0.0.38') => ({ status: 200, body: { paths: { [`/slurm/v${v}/ping`]: {} } } });
const ok = (extra: object) => ({ status: 200, body: { errors: [], ...extra } });
const node = { name: 'n1', state: 'idle', state_flags: [], gres: 'gpu:a100:4', gres_used: 'gpu:a100:0(IDX:N/A)', partitions: ['gpu'], cpus: 8, alloc_cpus: 0 };
const rawJob = (over: object) => ({ job_id: 7, name: 'ncg-j', comment: 'ncg-key=k1 ncg-job=j', user_name: 'u', partition: 'gpu', job_state: 'RUNNING', state_reason: 'None', exit_code: 0, submit_time: 1, start_time: 2, end_time: 0, nodes: 'n1', ...over });

function fakeRest(route: Route) {
  const calls: { method: string; path: string; user: string | null }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    calls.push({ method, path: url.pathname, user: headers.get('X-SLURM-USER-NAME') });
    const answer = route(method, url.pathname, init?.body ? JSON.parse(String(init.body)) : undefined) ?? (url.pathname === '/openapi/v3' ? openapi() : undefined);
    if (!answer) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return new Response(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function adapter(route: Route) {
  const rest = fakeRest(route);
  const a = createSlurmAdapter('c1', {
    url: 'http://slurm:6820/', auth: { token: 'tok', user: 'slurm' }, workdirRoot: '/scratch',
    accounts: { default: { account: 'acct', user: 'ncg' }, institutions: {}, users: {} }, backoff: { initialSeconds: 1, maxSeconds: 4 },
  }, { fetch: rest.fetchImpl });
  return { a, calls: rest.calls };
}

const submitReq: SubmitRequest = {
  idempotencyKey: 'k2', jobId: 'j2', institutionId: 'i', projectId: 'p', userId: 'u', poolName: 'gpu', nodeNames: ['n1'],
  spec: { name: 'x', projectId: 'p', gpuTypes: ['a100'], nodes: 1, gpusPerNode: 1, cpusPerNode: 1, memoryGbPerNode: 1, walltimeSeconds: 60, qos: 'normal', command: ['true'] },
};

describe('SlurmAdapter against a scripted slurmrestd', () => {
  it('refuses a server that speaks no supported version, clearly', async () => {
    const { a } = adapter((_m, p) => (p === '/openapi/v3' ? openapi('0.0.40') : undefined));
    expect(await a.health()).toEqual({ ok: false, message: expect.stringMatching(/offers v0\.0\.40; ncg supports v0\.0\.38/) });
    await expect(a.inventory()).rejects.toBeInstanceOf(SlurmVersionError);
    await expect(a.inventory()).rejects.toBeInstanceOf(ClusterUnavailableError);
  });

  it('reads errors[] to tell a refusal (bad partition) from trouble (controller gone)', async () => {
    let submitAnswer = { status: 500, body: { errors: [{ error_code: 2000, error: 'Invalid partition name specified' }] } };
    const { a, calls } = adapter((m, p) => {
      if (p.endsWith('/jobs')) return ok({ jobs: [] });
      if (p.endsWith('/nodes')) return ok({ nodes: [node] });
      if (p.endsWith('/partitions')) return ok({ partitions: [{ name: 'gpu', state: 'UP' }] });
      if (m === 'POST') return submitAnswer;
      return undefined;
    });
    await expect(a.submit(submitReq)).rejects.toBeInstanceOf(ClusterRefusedError);
    expect(calls.find((c) => c.method === 'POST')?.user).toBe('ncg'); // submitted as the mapped user
    submitAnswer = { status: 500, body: { errors: [{ error_code: 1007, error: 'Protocol authentication error' }] } };
    const e = await a.submit(submitReq).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SlurmUnavailableError);
    expect((e as SlurmUnavailableError).slurmErrors[0]?.code).toBe(1007);
  });

  it('retries a GET once after an auth failure, never a POST', async () => {
    let jobsCalls = 0;
    const { a, calls } = adapter((m, p) => {
      if (p.endsWith('/jobs')) return ++jobsCalls === 1 ? { status: 401, body: 'Authentication failure' } : ok({ jobs: [] });
      if (p.endsWith('/nodes')) return ok({ nodes: [node] });
      if (p.endsWith('/partitions')) return ok({ partitions: [{ name: 'gpu', state: 'UP' }] });
      if (m === 'POST') return { status: 401, body: 'Authentication failure' };
      return undefined;
    });
    expect(await a.status(['k1'])).toEqual([]);
    expect(jobsCalls).toBe(2);
    await expect(a.submit(submitReq)).rejects.toThrow(/refused the credentials of ncg/);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('an unreachable server is unavailable with a growing backoff, reset by the first answer', async () => {
    let up = false;
    // The OpenAPI document always answers (the fake's fallback); /jobs only once `up`.
    const { a } = adapter((_m, p) => (up && p.endsWith('/jobs') ? ok({ jobs: [] }) : undefined));
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push(((await a.status(['k']).catch((e: unknown) => e)) as SlurmUnavailableError).retryAfterMs);
    expect(waits).toEqual([1000, 2000, 4000, 4000]);
    up = true;
    await expect(a.status(['k'])).resolves.toEqual([]);
  });

  it('a job that vanishes before finishing is lost; a finished one keeps its final state', async () => {
    let jobs: object[] = [rawJob({}), rawJob({ job_id: 8, comment: 'ncg-key=k3 ncg-job=j3', job_state: 'COMPLETED', end_time: 5 })];
    const { a } = adapter((_m, p) => (p.endsWith('/jobs') ? ok({ jobs }) : undefined));
    expect((await a.status(['k1', 'k3'])).map((s) => s.state)).toEqual(['running', 'succeeded']);
    jobs = [];
    expect(await a.status(['k1', 'k3', 'never'])).toEqual([
      { idempotencyKey: 'k1', externalId: '7', state: 'lost', reason: 'lost' },
      expect.objectContaining({ idempotencyKey: 'k3', externalId: '8', state: 'succeeded' }),
    ]);
  });

  it('cancel is a no-op for finished and unknown jobs and tolerates a job gone meanwhile', async () => {
    const deletes: string[] = [];
    const { a } = adapter((m, p) => {
      if (p.endsWith('/jobs')) return ok({ jobs: [rawJob({}), rawJob({ job_id: 8, comment: 'ncg-key=done ncg-job=j', job_state: 'FAILED', nodes: 'n1' })] });
      if (m === 'DELETE') {
        deletes.push(p);
        return { status: 500, body: { errors: [{ error_number: 2017, error: 'Invalid job id specified' }] } };
      }
      return undefined;
    });
    await a.cancel('done');
    await a.cancel('unknown');
    expect(deletes).toEqual([]);
    await expect(a.cancel('k1')).resolves.toBeUndefined();
    expect(deletes).toEqual(['/slurm/v0.0.38/job/7']);
  });
});
