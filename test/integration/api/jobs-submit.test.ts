/**
 * POST /v1/jobs over real HTTP, on PGlite and on the real PostgreSQL: the happy path, idempotency
 * (including concurrent retries), validation naming every bad field, 422s that say what exists,
 * authorisation, and the media-type and size rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobViewSchema } from '../../../src/api/schemas/job-view.js';
import { errorBodySchema } from '../../../src/api/schemas/common.js';
import { postgresGate } from '../../helpers/db.js';
import { startApiHarness, validJob, type ApiHarness } from './api-harness.js';

async function jobCount(h: ApiHarness): Promise<number> {
  const r = await h.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const pgAvailable = (await postgresGate()).available;

for (const kind of ['pglite', 'postgres'] as const) {
  describe.runIf(kind === 'pglite' || pgAvailable)(`POST /v1/jobs (${kind})`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await startApiHarness(kind);
    });
    afterAll(async () => h?.close());

    it('queues a job: 201, Location, the documented shape, GPU type as the pools spell it, an event, and a poke to the loop', async () => {
      const before = h.changes.length;
      const r = await h.call('POST', '/v1/jobs', { token: 'inst-01-r1', body: validJob({ sim: { durationSeconds: 60 } }, 'inst-01') });
      expect(r.status).toBe(201);
      const job = jobViewSchema.parse(r.body);
      expect(r.headers.get('location')).toBe(`/v1/jobs/${job.id}`);
      expect(job).toMatchObject({ state: 'queued', institution: 'inst-01', project: 'inst-01-p1', user: 'inst-01-r1', borrowed: false });
      expect(job.spec).toMatchObject({ gpuTypes: ['H100-80GB'], nodes: 1, gpusPerNode: 2, cpusPerNode: 8, memoryGbPerNode: 32, walltimeSeconds: 3600, qos: 'normal', sim: { durationSeconds: 60 } });
      expect(job.pending).toMatchObject({ reason: 'NotYetScheduled', seenByCycle: false });
      expect(h.changes.slice(before)).toEqual(['submit']);
      const events = await h.db.selectFrom('job_events').selectAll().where('job_id', '=', job.id).execute();
      expect(events.map((e) => [e.from_state, e.to_state, e.reason])).toEqual([[null, 'queued', 'submitted']]);
    });

    it('an Idempotency-Key returns the same job: 201, then 200; a different body is a 409 naming the key', async () => {
      const key = `key-${kind}-1`;
      const first = await h.call('POST', '/v1/jobs', { body: validJob(), headers: { 'idempotency-key': key } });
      const again = await h.call('POST', '/v1/jobs', { body: validJob(), headers: { 'idempotency-key': key } });
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(again.body.id).toBe(first.body.id);
      const changed = await h.call('POST', '/v1/jobs', { body: validJob({ gpusPerNode: 4 }), headers: { 'idempotency-key': key } });
      expect(changed.status).toBe(409);
      expect(changed.body.error.message).toContain(`Idempotency-Key "${key}"`);
      expect(changed.body.error.details).toMatchObject({ idempotencyKey: key, jobId: first.body.id });
      // The key is per user: another user may use the same key for their own job.
      const other = await h.call('POST', '/v1/jobs', { token: 'inst-02-r1', body: validJob({}, 'inst-02'), headers: { 'idempotency-key': key } });
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
    });

    it('concurrent retries with one key make exactly one job', async () => {
      const before = await jobCount(h);
      const rs = await Promise.all(Array.from({ length: 8 }, () => h.call('POST', '/v1/jobs', { body: validJob({ name: 'racy' }), headers: { 'idempotency-key': `race-${kind}` } })));
      expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
      expect(rs.filter((r) => r.status === 200)).toHaveLength(7);
      expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
      expect(await jobCount(h)).toBe(before + 1);
    });

    it('refuses a malformed Idempotency-Key, naming it', async () => {
      const r = await h.call('POST', '/v1/jobs', { body: validJob(), headers: { 'idempotency-key': 'has space' } });
      expect(r.status).toBe(400);
      expect(r.body.error.details.issues).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    });

    it('names every bad field in one 400 and stores nothing', async () => {
      const before = await jobCount(h);
      const r = await h.call('POST', '/v1/jobs', {
        body: { name: '', nodes: 0, gpusPerNode: 'two', walltime: 'soon', qos: 'urgent', gpuType: ['h100', 'BAD TYPE'], sim: { durationSeconds: -1 }, colour: 'red' },
      });
      expect(r.status).toBe(400);
      errorBodySchema.parse(r.body);
      const paths = r.body.error.details.issues.map((i: { path: string }) => i.path).sort();
      expect(paths).toEqual(['colour', 'gpuType.1', 'gpusPerNode', 'name', 'nodes', 'project', 'qos', 'sim.durationSeconds', 'walltime'].sort());
      expect(r.body.error.details.issues).toContainEqual({ path: 'project', message: 'required' });
      expect(r.body.error.details.issues).toContainEqual({ path: 'colour', message: 'unknown field' });
      expect(r.body.error.message).toMatch(/^job submission is not valid — /);
      expect(await jobCount(h)).toBe(before);
    });

    it('refuses text PostgreSQL cannot store (NUL, lone surrogates) as a 400, not a 500', async () => {
      for (const command of [['a\u0000b'], ['\ud800x']]) {
        const r = await h.call('POST', '/v1/jobs', { body: validJob({ command }) });
        expect(r.status).toBe(400);
        expect(r.body.error.details.issues[0].path).toBe('command.0');
      }
      const proto = await h.call('POST', '/v1/jobs', { body: '{"name":"x","project":"inst-00-p1","walltime":60,"env":{"__proto__":"1"}}' });
      expect(proto.status).toBe(400);
      expect(proto.body.error.details.issues[0].path).toBe('env.__proto__');
      const both = await h.call('POST', '/v1/jobs', { body: validJob({ script: '#!/bin/sh\necho hi' }) });
      expect(both.status).toBe(400);
      expect(both.body.error.details.issues).toEqual([{ path: 'script', message: 'give either command or script, not both' }]);
    });

    it('answers 422 with what exists for a request no pool could ever run', async () => {
      const wide = await h.call('POST', '/v1/jobs', { body: validJob({ gpuType: 'any', gpusPerNode: 16 }) });
      expect(wide.status).toBe(422);
      expect(wide.body.error).toMatchObject({ code: 'unprocessable', details: { unsatisfiable: true, field: 'gpusPerNode', maxGpusPerNode: 8 } });
      expect(wide.body.error.message).toBe('no pool has 16 GPUs per node of any type; the largest nodes have 8 (H100-80GB at coe-islamabad)');
      const l40 = await h.call('POST', '/v1/jobs', { body: validJob({ gpuType: 'l40s', gpusPerNode: 8 }) });
      expect(l40.body.error.message).toBe('no pool has 8 GPUs per node of L40S; the largest nodes have 4 (L40S at coe-islamabad)');
      const tall = await h.call('POST', '/v1/jobs', { body: validJob({ nodes: 5, gpusPerNode: 8 }) });
      expect(tall.status).toBe(422);
      expect(tall.body.error.message).toContain('the largest such pool has 4 nodes (H100-80GB at coe-islamabad)');
      const unknown = await h.call('POST', '/v1/jobs', { body: validJob({ gpuType: 'b200' }) });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.message).toBe('GPU type "b200" does not exist in the grid; the types that exist are: A100-40GB, H100-80GB, L40S (or any)');
    });

    it('names an unknown project or site as a bad field', async () => {
      const p = await h.call('POST', '/v1/jobs', { body: validJob({ project: 'nope' }) });
      expect(p.status).toBe(400);
      expect(p.body.error.details.issues).toEqual([{ path: 'project', message: 'unknown project' }]);
      const s = await h.call('POST', '/v1/jobs', { body: validJob({ preferredSite: 'mars' }) });
      expect(s.status).toBe(400);
      expect(s.body.error.message).toContain('the sites are: aux-quetta, coe-islamabad');
    });

    it('lets a researcher submit only to their own projects; an admin anywhere', async () => {
      const foreign = await h.call('POST', '/v1/jobs', { token: 'inst-01-r1', body: validJob({}, 'inst-02') });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toContain('not a member of project inst-02-p1');
      const admin = await h.call('POST', '/v1/jobs', { token: 'admin', body: validJob({}, 'inst-02') });
      expect(admin.status).toBe(201);
      expect(admin.body).toMatchObject({ user: 'admin', institution: 'inst-02' });
    });

    it('requires a bearer token', async () => {
      const variants: Record<string, string>[] = [{}, { authorization: 'Basic abc' }, { authorization: `Bearer ncg_${'x'.repeat(43)}` }];
      for (const headers of variants) {
        const r = await h.call('POST', '/v1/jobs', { token: null, headers, body: validJob() });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('unauthenticated');
      }
    });

    it('wants JSON: 415 for another media type, 400 for an empty or broken body, 413 over the limit', async () => {
      const text = await h.call('POST', '/v1/jobs', { body: 'name=demo', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      expect(text.body.error).toEqual({ code: 'unsupported_media_type', message: 'Content-Type must be application/json, got "text/plain"' });
      expect((await h.call('POST', '/v1/jobs', {})).status).toBe(400);
      expect((await h.call('POST', '/v1/jobs', { body: '{"name":' })).status).toBe(400);
      const big = await h.call('POST', '/v1/jobs', { body: { ...validJob(), script: 'x'.repeat(1_100_000) } });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('payload_too_large');
    });
  });
}
