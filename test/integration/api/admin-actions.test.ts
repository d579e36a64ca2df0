/**
 * Issue 8 part B over REST on PGlite: the allocation workflow end to end, projects and members (a removed
 * member cannot submit, at once on this replica), CoE operators' cluster actions, and the audit log —
 * one row per mutation with who, token, address, before and after; filters, cursor pages and CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, type CreatedApiToken } from '../../../src/store/index.js';
import { startApiHarness, validJob, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
let instAdmin: CreatedApiToken;
let otherAdmin: CreatedApiToken;

async function addUser(id: string, institutionId: string, roles: string[]): Promise<void> {
  await h.db.insertInto('users').values({ id, institution_id: institutionId, name: id, email: `${id}@example.pk` }).execute();
  await h.db.insertInto('user_roles').values(roles.map((role) => ({ user_id: id, role: role as 'institution-admin' }))).execute();
}

beforeAll(async () => {
  h = await startApiHarness('pglite');
  await addUser('inst-00-admin', 'inst-00', ['institution-admin']);
  await addUser('inst-00-r2', 'inst-00', ['researcher']);
  await addUser('inst-01-admin', 'inst-01', ['institution-admin']);
  instAdmin = await createApiToken(h.db, { userId: 'inst-00-admin', name: 'test' });
  otherAdmin = await createApiToken(h.db, { userId: 'inst-01-admin', name: 'test' });
}, 60_000);
afterAll(async () => h?.close());

describe('allocation workflow over REST', () => {
  it('award → split → request → approve, with a 409 that states award, allocated and requested', async () => {
    const award = await h.call('POST', '/v1/allocations', { body: { institution: 'inst-00', period: '2026-Q4', gpuHours: 500, kind: 'hard' } });
    expect(award.status).toBe(201);
    expect(award.body).toMatchObject({ id: 'alloc-inst-00-2026-q4', institution: 'inst-00', periodStart: '2026-10-01T00:00:00.000Z', gpuHours: 500 });
    expect(award.headers.get('location')).toBe('/v1/allocations/alloc-inst-00-2026-q4');

    const split = await h.call('PUT', '/v1/allocations/alloc-inst-00-2026-q4/splits/inst-00-p1', { token: instAdmin.secret, body: { gpuHours: 300 } });
    expect(split.status).toBe(200);
    expect(split.body).toMatchObject({ subAllocation: { project: 'inst-00-p1', parent: 'alloc-inst-00-2026-q4', gpuHours: 300 }, allocatedGpuHours: 300, availableGpuHours: 200 });
    await h.db.insertInto('projects').values({ id: 'inst-00-p2', institution_id: 'inst-00', name: 'p2', shares: 1 }).execute();
    const over = await h.call('PUT', '/v1/allocations/alloc-inst-00-2026-q4/splits/inst-00-p2', { token: instAdmin.secret, body: { gpuHours: 250 } });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('is 500 GPU-hours; 300 are already allocated to other projects; 250 requested');
    expect(over.body.error.details).toMatchObject({ awardGpuHours: 500, allocatedGpuHours: 300, requestedGpuHours: 250 });

    const filed = await h.call('POST', '/v1/allocations/alloc-inst-00-2026-q4/requests', { token: instAdmin.secret, body: { gpuHours: 100, extendTo: '2027-01-31', justification: 'more seeds' } });
    expect(filed.status).toBe(201);
    const pending = await h.call('GET', '/v1/allocation-requests?status=pending');
    expect(pending.body.items.map((r: { id: string }) => r.id)).toEqual([filed.body.id]);
    const approved = await h.call('POST', `/v1/allocation-requests/${filed.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.allocation).toMatchObject({ gpuHours: 600, periodEnd: '2027-01-31T00:00:00.000Z' });

    // The requester follows every step.
    const detail = await h.call('GET', '/v1/allocations/alloc-inst-00-2026-q4', { token: instAdmin.secret });
    expect(detail.body.events.map((e: { kind: string }) => e.kind)).toEqual(['awarded', 'split', 'requested', 'approved']);
    expect(detail.body.requests[0]).toMatchObject({ status: 'approved', decidedBy: 'admin' });
    expect(detail.body.subAllocations[0].periodEnd).toBe('2027-01-31T00:00:00.000Z');
    // Researchers see their institution's allocations; another institution's answers 404.
    expect((await h.call('GET', '/v1/allocations?period=2026-Q4&awardsOnly=true', { token: 'inst-00-r1' })).body.items.map((a: { id: string }) => a.id)).toEqual(['alloc-inst-00-2026-q4']);
    expect((await h.call('GET', '/v1/allocations/alloc-inst-00-2026-q4', { token: otherAdmin.secret })).status).toBe(404);
    expect((await h.call('GET', '/v1/allocations?period=2026-Q9')).status).toBe(400);
  });

  it('rejection needs a comment; a second decision is a 409; bad bodies are 400s naming the field', async () => {
    const filed = await h.call('POST', '/v1/allocations/alloc-inst-00-2026-q4/requests', { token: instAdmin.secret, body: { gpuHours: 1e6, justification: 'everything' } });
    const noComment = await h.call('POST', `/v1/allocation-requests/${filed.body.id}/reject`, { body: {} });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.details.issues[0].path).toBe('comment');
    expect((await h.call('POST', `/v1/allocation-requests/${filed.body.id}/reject`, { body: { comment: 'too much' } })).status).toBe(200);
    const again = await h.call('POST', `/v1/allocation-requests/${filed.body.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already rejected');
    const bad = await h.call('POST', '/v1/allocations', { body: { institution: 'inst-00', gpuHours: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toContain('gpuHours');
  });
});

describe('projects and members', () => {
  it('a removed member cannot submit any more, at once (the membership cache is dropped)', async () => {
    const created = await h.call('POST', '/v1/projects', { token: instAdmin.secret, body: { name: 'Speech & Audio' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'inst-00-speech-audio', institution: 'inst-00', members: [] });
    expect((await h.call('POST', '/v1/projects', { token: instAdmin.secret, body: { name: 'Speech & Audio' } })).status).toBe(409);

    const added = await h.call('POST', '/v1/projects/inst-00-speech-audio/members', { token: instAdmin.secret, body: { user: 'inst-00-r1' } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ project: 'inst-00-speech-audio', user: 'inst-00-r1', changed: true, members: ['inst-00-r1'] });
    // A user of another institution is unknown here.
    expect((await h.call('POST', '/v1/projects/inst-00-speech-audio/members', { token: instAdmin.secret, body: { user: 'inst-01-r1' } })).status).toBe(404);
    expect((await h.call('GET', '/v1/projects/inst-00-speech-audio', { token: otherAdmin.secret })).status).toBe(404);

    const submit = () => h.call('POST', '/v1/jobs', { token: 'inst-00-r1', body: validJob({ project: 'inst-00-speech-audio' }) });
    expect((await submit()).status).toBe(201);
    const removed = await h.call('DELETE', '/v1/projects/inst-00-speech-audio/members/inst-00-r1', { token: instAdmin.secret });
    expect(removed.body).toMatchObject({ changed: true, members: [] });
    const refused = await submit();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('not a member of project inst-00-speech-audio');
  });
});

describe('cluster actions', () => {
  it('an operator drains, cordons and resumes a cluster of their site; the action is idempotent', async () => {
    const drain = await h.call('POST', '/v1/clusters/qta-slurm/cordon', { token: 'op-quetta' });
    expect(drain.status).toBe(200);
    expect(drain.body).toEqual({ cluster: 'qta-slurm', previousState: 'draining', state: 'offline', changed: true, activeJobs: 0 });
    expect((await h.call('POST', '/v1/clusters/qta-slurm/resume', { token: 'op-quetta' })).body).toMatchObject({ state: 'active', changed: true });
    expect((await h.call('POST', '/v1/clusters/qta-slurm/drain', { token: 'op-quetta' })).body).toMatchObject({ state: 'draining', changed: true });
    expect((await h.call('POST', '/v1/clusters/qta-slurm/drain', { token: 'op-quetta' })).body).toMatchObject({ state: 'draining', changed: false });
    // Not their site: 403 naming the site; unknown cluster: 404.
    const notTheirs = await h.call('POST', '/v1/clusters/isb-k8s/drain', { token: 'op-quetta' });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.message).toContain('coe-islamabad');
    expect((await h.call('POST', '/v1/clusters/nope/drain')).status).toBe(404);
    const clusters = await h.call('GET', '/v1/clusters');
    expect(clusters.body.items.find((c: { id: string }) => c.id === 'qta-slurm').state).toBe('draining');
  });
});

describe('the audit log', () => {
  it('has one row per mutation with actor, token, address, before and after', async () => {
    const all = await h.call('GET', '/v1/audit?limit=500');
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    for (const a of ['allocation.award', 'allocation.split', 'allocation.request', 'allocation.approve', 'allocation.reject', 'project.create', 'project.member.add', 'project.member.remove', 'cluster.cordon', 'cluster.resume', 'cluster.drain', 'job.submit']) {
      expect(actions, a).toContain(a);
    }
    // Exactly one row per effective mutation: the idempotent second drain and the refused split wrote none.
    expect(actions.filter((a: string) => a === 'cluster.drain')).toHaveLength(1);
    expect(actions.filter((a: string) => a === 'allocation.split')).toHaveLength(1);
    const split = all.body.items.find((e: { action: string }) => e.action === 'allocation.split');
    expect(split).toMatchObject({ actor: 'inst-00-admin', token: instAdmin.id, institution: 'inst-00', targetKind: 'allocation', after: { gpuHours: 300, projectId: 'inst-00-p1' } });
    expect(split.address).toMatch(/127\.0\.0\.1/);
    const cordon = all.body.items.find((e: { action: string }) => e.action === 'cluster.cordon');
    expect(cordon).toMatchObject({ actor: 'op-quetta', before: { state: 'draining' }, after: { state: 'offline' } });
    const submit = all.body.items.find((e: { action: string }) => e.action === 'job.submit');
    expect(submit).toMatchObject({ actor: 'inst-00-r1', targetKind: 'job', institution: 'inst-00', after: { project: 'inst-00-speech-audio', nodes: 1 } });
    expect(submit.token).toMatch(/^tok-/);
    expect(submit.address).toMatch(/127\.0\.0\.1/);
  });

  it('audits token creation (never the secret) and revocation', async () => {
    const created = await h.call('POST', '/v1/tokens', { token: instAdmin.secret, body: { name: 'ci', user: 'inst-00-r2' } });
    expect(created.status).toBe(201);
    await h.call('DELETE', `/v1/tokens/${created.body.id}`, { token: instAdmin.secret });
    await h.call('DELETE', `/v1/tokens/${created.body.id}`, { token: instAdmin.secret });
    const rows = (await h.call('GET', `/v1/audit?target=${created.body.id}`)).body.items;
    expect(rows.map((e: { action: string }) => e.action)).toEqual(['token.revoke', 'token.create']);
    expect(rows[1]).toMatchObject({ actor: 'inst-00-admin', institution: 'inst-00', after: { userId: 'inst-00-r2', name: 'ci' } });
    expect(JSON.stringify(rows)).not.toContain(created.body.secret);
    expect(rows[0].after.revokedAt).toBeDefined();
  });

  it('audits a cancel with its before/after, and an idempotent submit retry only once', async () => {
    const headers = { 'idempotency-key': 'audit-retry-1' };
    const first = await h.call('POST', '/v1/jobs', { token: 'inst-00-r1', body: validJob(), headers });
    const retry = await h.call('POST', '/v1/jobs', { token: 'inst-00-r1', body: validJob(), headers });
    expect(retry.body.id).toBe(first.body.id);
    expect((await h.call('GET', `/v1/audit?target=${first.body.id}&action=job.submit`)).body.items).toHaveLength(1);
    expect((await h.call('DELETE', `/v1/jobs/${first.body.id}`, { token: 'inst-00-r1' })).status).toBe(200);
    await h.call('DELETE', `/v1/jobs/${first.body.id}`, { token: 'inst-00-r1' });
    const cancels = (await h.call('GET', `/v1/audit?target=${first.body.id}&action=job.cancel`)).body.items;
    expect(cancels).toHaveLength(1);
    expect(cancels[0]).toMatchObject({ actor: 'inst-00-r1', before: { state: 'queued' }, after: { state: 'cancelled' } });
  });

  it('filters by actor, action prefix and time; pages with a cursor; exports CSV', async () => {
    const byAdmin = (await h.call('GET', '/v1/audit?actor=inst-00-admin&action=project')).body.items;
    expect(byAdmin.map((e: { action: string }) => e.action).sort()).toEqual(['project.create', 'project.member.add', 'project.member.remove']);
    expect((await h.call('GET', '/v1/audit?from=2999-01-01')).body.items).toEqual([]);
    const page1 = await h.call('GET', '/v1/audit?limit=2');
    const page2 = await h.call('GET', `/v1/audit?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page1.body.items).toHaveLength(2);
    expect(page2.body.items[0].id).toBeLessThan(page1.body.items[1].id);
    expect((await h.call('GET', '/v1/audit?cursor=bogus')).status).toBe(400);
    expect((await h.call('GET', '/v1/audit?from=yesterday')).status).toBe(400);
    const csv = await h.call('GET', '/v1/audit?action=allocation.request&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,token,address,institution,action,target_kind,target_id,before,after,data');
    expect(lines).toHaveLength(3);
  });

  it('institution admins see their institution’s entries only; researchers are refused', async () => {
    const mine = (await h.call('GET', '/v1/audit?limit=500', { token: instAdmin.secret })).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e: { institution?: string }) => e.institution === 'inst-00')).toBe(true);
    expect((await h.call('GET', '/v1/audit?institution=inst-01', { token: instAdmin.secret })).status).toBe(403);
    expect((await h.call('GET', '/v1/audit?limit=500', { token: otherAdmin.secret })).body.items).toEqual([]);
    expect((await h.call('GET', '/v1/audit', { token: 'inst-00-r1' })).status).toBe(403);
  });
});
