/**
 * GET /v1/jobs, GET /v1/jobs/{id}, DELETE /v1/jobs/{id} and GET /v1/queue over real HTTP, on PGlite and
 * the real PostgreSQL. Pending reasons are written with the control loop's own functions (verdictRow +
 * writePendingVerdicts), so this also checks the contract between the loop and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobPageSchema, jobViewSchema, queueViewSchema } from '../../../src/api/schemas/job-view.js';
import { verdictRow } from '../../../src/control/verdicts.js';
import { writePendingVerdicts } from '../../../src/store/repositories/control-jobs.js';
import { transitionJobs } from '../../../src/store/repositories/jobs.js';
import { postgresGate } from '../../helpers/db.js';
import { startApiHarness, validJob, type ApiHarness } from './api-harness.js';

const pgAvailable = (await postgresGate()).available;

async function submit(h: ApiHarness, token: string, inst: string, name: string): Promise<string> {
  const r = await h.call('POST', '/v1/jobs', { token, body: validJob({ name }, inst) });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** Move a queued job onto a cluster and start it, as the control loop would. */
async function startRunning(h: ApiHarness, id: string): Promise<void> {
  const now = Date.now();
  await transitionJobs(h.db, [{ jobId: id, from: ['queued'], to: 'dispatching', at: now, patch: { clusterId: 'isb-k8s', poolId: 'isb-k8s-h100', dispatchKey: `${id}:1` } }]);
  await transitionJobs(h.db, [{ jobId: id, from: ['dispatching'], to: 'running', at: now, patch: { startedAt: now, nodeNames: ['isb-k8s-h100-0'] } }]);
}

const factors = (fairshare: number) => ({ fairshare, age: 0.1, qos: 0.5, size: 0.01 });

for (const kind of ['pglite', 'postgres'] as const) {
  describe.runIf(kind === 'pglite' || pgAvailable)(`reading and cancelling jobs (${kind})`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await startApiHarness(kind);
    });
    afterAll(async () => h?.close());

    it('shows a pending job’s reason, position, estimated start and factors, with its events', async () => {
      const [a, b, c] = [await submit(h, 'inst-02-r1', 'inst-02', 'a'), await submit(h, 'inst-02-r1', 'inst-02', 'b'), await submit(h, 'inst-02-r1', 'inst-02', 'c')];
      const start = Date.UTC(2026, 9, 5, 11, 0, 0);
      await writePendingVerdicts(
        h.db,
        [
          verdictRow({ jobId: a, reason: 'Resources', position: 2, message: 'waiting for resources', estimatedStart: start }, { jobId: a, priority: 5000, factors: factors(0.4) }),
          verdictRow({ jobId: b, reason: 'Priority', position: 1, message: 'waiting for priority' }, { jobId: b, priority: 9000, factors: factors(0.8) }),
        ],
        Date.now(),
      );
      const r = await h.call('GET', `/v1/jobs/${a}`, { token: 'inst-02-r1' });
      expect(r.status).toBe(200);
      const job = jobViewSchema.parse(r.body);
      expect(job.pending).toEqual({ reason: 'Resources', message: 'waiting for resources', position: 2, estimatedStart: '2026-10-05T11:00:00.000Z', priority: 5000, factors: factors(0.4), seenByCycle: true });
      expect(job.events).toEqual([{ id: expect.any(Number), to: 'queued', at: job.submittedAt, reason: 'submitted', data: {} }]);

      const q = await h.call('GET', '/v1/queue?project=inst-02-p1', { token: 'inst-02-r1' });
      expect(q.status).toBe(200);
      const queue = queueViewSchema.parse(q.body);
      expect(queue.items.map((i) => i.id)).toEqual([b, a, c]);
      expect(queue.total).toBe(3);
      expect(queue.items[2]!.pending).toMatchObject({ reason: 'NotYetScheduled', seenByCycle: false });
      expect(queue.items[0]!.pending).toMatchObject({ reason: 'Priority', position: 1, factors: factors(0.8) });
      expect((await h.call('GET', '/v1/queue?project=inst-02-p1&limit=1', { token: 'inst-02-r1' })).body).toMatchObject({ total: 3, items: [{ id: b }] });
    });

    it('lists newest first with filters and cursor pages, and keeps researchers to their own jobs', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await submit(h, 'inst-01-r1', 'inst-01', `list-${i}`));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const r = await h.call('GET', `/v1/jobs?user=inst-01-r1&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        const page = jobPageSchema.parse(r.body);
        seen.push(...page.items.map((j) => j.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      // Newest first is id order (ULIDs); two ids minted in one millisecond may sort either way, so compare with the sorted ids.
      expect(seen).toEqual([...ids].sort().reverse());

      // A researcher sees their own jobs without asking, and may not ask for someone else's.
      const own = await h.call('GET', '/v1/jobs?limit=500', { token: 'inst-01-r1' });
      expect(own.body.items.every((j: { user: string }) => j.user === 'inst-01-r1')).toBe(true);
      expect(own.body.items).toHaveLength(5);
      expect((await h.call('GET', '/v1/jobs?user=inst-02-r1', { token: 'inst-01-r1' })).status).toBe(403);
      expect((await h.call('GET', `/v1/jobs/${ids[0]}`, { token: 'inst-02-r1' })).status).toBe(404);

      await h.call('DELETE', `/v1/jobs/${ids[0]}`, { token: 'inst-01-r1' });
      const cancelled = await h.call('GET', '/v1/jobs?state=cancelled,failed&institution=inst-01');
      expect(cancelled.body.items.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
      const queued = await h.call('GET', '/v1/jobs?state=queued&project=inst-01-p1');
      expect(queued.body.items).toHaveLength(4);

      const bad = await h.call('GET', '/v1/jobs?state=queued,sleeping');
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.issues).toEqual([{ path: 'state', message: 'unknown state' }]);
      expect((await h.call('GET', '/v1/jobs?colour=red')).status).toBe(400);
      expect((await h.call('GET', '/v1/jobs?cursor=bogus!')).status).toBe(400);
    });

    it('cancels a queued job once: 200 cancelled, then 200 unchanged; the loop is poked once', async () => {
      const id = await submit(h, 'inst-00-r1', 'inst-00', 'to-cancel');
      const pokes = h.changes.filter((c) => c === 'cancel').length;
      const first = await h.call('DELETE', `/v1/jobs/${id}`, { token: 'inst-00-r1' });
      expect(first.status).toBe(200);
      const job = jobViewSchema.parse(first.body);
      expect(job).toMatchObject({ state: 'cancelled', reason: 'cancelled' });
      expect(job.endedAt).toBeDefined();
      const again = await h.call('DELETE', `/v1/jobs/${id}`, { token: 'inst-00-r1' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(h.changes.filter((c) => c === 'cancel').length).toBe(pokes + 1);
      expect(h.clusterCancels.map((j) => j.id)).not.toContain(id);
      const detail = await h.call('GET', `/v1/jobs/${id}`);
      expect(detail.body.events.map((e: { from?: string; to: string }) => `${e.from ?? ''}>${e.to}`)).toEqual(['>queued', 'queued>cancelled']);
      expect(detail.body.pending).toBeUndefined();
    });

    it('cancels a running job: persisted first, then stopped on its cluster — even when the cluster call fails', async () => {
      for (const fail of [false, true]) {
        h.failClusterCancel = fail;
        const id = await submit(h, 'inst-00-r1', 'inst-00', `running-${fail}`);
        await startRunning(h, id);
        const r = await h.call('DELETE', `/v1/jobs/${id}`, { token: 'inst-00-r1' });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'cancelled', cluster: 'isb-k8s', pool: 'isb-k8s-h100' });
        const handed = h.clusterCancels.find((j) => j.id === id);
        expect(handed).toMatchObject({ state: 'cancelled', clusterId: 'isb-k8s', dispatchKey: `${id}:1` });
      }
      h.failClusterCancel = false;
    });

    it('hides other people’s jobs from cancellation and answers 404 for unknown ids', async () => {
      const id = await submit(h, 'inst-00-r1', 'inst-00', 'mine');
      expect((await h.call('DELETE', `/v1/jobs/${id}`, { token: 'inst-01-r1' })).status).toBe(404);
      expect((await h.call('GET', `/v1/jobs/${id}`)).body.state).toBe('queued');
      expect((await h.call('GET', '/v1/jobs/j-nope')).status).toBe(404);
      expect((await h.call('DELETE', `/v1/jobs/${'x'.repeat(300)}`)).status).toBe(404);
      expect((await h.call('GET', '/v1/jobs/j-nope', { token: null })).status).toBe(401);
    });
  });
}
