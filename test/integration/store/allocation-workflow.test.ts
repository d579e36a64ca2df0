/**
 * The allocation workflow on PGlite and real PostgreSQL: award, split (the sum never exceeds the award,
 * also under concurrent splits), change requests approved into the scheduler's budgets or rejected,
 * every step an event and an audit row, another institution's allocation a 404.
 */
import { beforeAll, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../../src/domain/errors.js';
import type { Principal } from '../../../src/domain/principal.js';
import { AllocationService } from '../../../src/services/allocation-service.js';
import { loadBudgets } from '../../../src/control/budgets.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { listAudit } from '../../../src/store/repositories/audit-log.js';
import { describeEachStore } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const nationalAdmin: Principal = { userId: 'admin', institutionId: 'inst-00', roles: ['national-admin'], operatorSiteIds: [], tokenId: 'tok-admin', address: '10.0.0.1' };
const instAdmin: Principal = { userId: 'inst-01-r1', institutionId: 'inst-01', roles: ['institution-admin'], operatorSiteIds: [], tokenId: 'tok-ia', address: '10.0.0.2' };
const otherAdmin: Principal = { userId: 'inst-02-r1', institutionId: 'inst-02', roles: ['institution-admin'], operatorSiteIds: [] };

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isDomainError(e)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

describeEachStore('allocation workflow', (getDb, target) => {
  let svc: AllocationService;
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture());
    // Twelve more projects of inst-01 for the concurrent splits.
    await getDb()
      .insertInto('projects')
      .values(Array.from({ length: 12 }, (_, i) => ({ id: `inst-01-x${i}`, institution_id: 'inst-01', name: `x${i}`, shares: 1 })))
      .execute();
    svc = new AllocationService({ db: getDb() });
  });

  it('awards an institution a period, records the event and an audit row with token and address; overlapping awards are refused', async () => {
    const award = await svc.award(nationalAdmin, { institution: 'inst-01', period: '2026-Q4', gpuHours: 1000, kind: 'soft', gracePct: 5 });
    expect(award).toMatchObject({ id: 'alloc-inst-01-2026-q4', periodStart: Date.UTC(2026, 9, 1), periodEnd: Date.UTC(2027, 0, 1), gpuHours: 1000, kind: 'soft', gracePct: 5 });
    const detail = await svc.get(instAdmin, award.id);
    expect(detail.events.map((e) => e.kind)).toEqual(['awarded']);
    const audit = await listAudit(getDb(), { action: 'allocation.award', targetId: award.id }, { limit: 10 });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorUserId: 'admin', tokenId: 'tok-admin', clientAddress: '10.0.0.1', institutionId: 'inst-01', after: { gpuHours: 1000 } });

    const again = await failure(svc.award(nationalAdmin, { institution: 'inst-01', periodStart: '2026-12-01', periodEnd: '2027-02-01', gpuHours: 5 }));
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('alloc-inst-01-2026-q4');
    expect((await failure(svc.award(nationalAdmin, { institution: 'nope', period: '2026-Q4', gpuHours: 1 }))).code).toBe('invalid');
    const badPeriod = await failure(svc.award(nationalAdmin, { institution: 'inst-02', period: '2026-Q5', gpuHours: 1 }));
    expect(badPeriod.code).toBe('invalid');
    expect(badPeriod.message).toMatch(/period/);
  });

  it('splits an award across projects; the sum never exceeds the award and the refusal states award, allocated and requested', async () => {
    const first = await svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-01-p1', { gpuHours: 600 });
    expect(first.after).toMatchObject({ projectId: 'inst-01-p1', parentId: 'alloc-inst-01-2026-q4', gpuHours: 600, kind: 'soft', gracePct: 5, periodEnd: Date.UTC(2027, 0, 1) });
    expect(first.allocatedGpuHours).toBe(600);
    const over = await failure(svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-01-x0', { gpuHours: 401 }));
    expect(over.code).toBe('conflict');
    expect(over.message).toBe('award alloc-inst-01-2026-q4 is 1000 GPU-hours; 600 are already allocated to other projects; 401 requested for inst-01-x0 — at most 400 can be');
    // Resizing a project's own split is not counted twice.
    const resized = await svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-01-p1', { gpuHours: 700 });
    expect(resized.before?.gpuHours).toBe(600);
    expect(resized.after.id).toBe(first.after.id);
    await svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-01-p1', { gpuHours: 0 });

    // Another institution's admin learns nothing; a project of another institution is not splittable.
    expect((await failure(svc.split(otherAdmin, 'alloc-inst-01-2026-q4', 'inst-01-p1', { gpuHours: 1 }))).code).toBe('not_found');
    expect((await failure(svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-02-p1', { gpuHours: 1 }))).code).toBe('not_found');
    expect((await failure(svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-01-p1', { gpuHours: -1 }))).code).toBe('invalid');
    const audits = await listAudit(getDb(), { action: 'allocation.split' }, { limit: 10 });
    expect(audits.items.map((a) => (a.after as { gpuHours: number }).gpuHours)).toEqual([0, 700, 600]);
    expect(audits.items[1]!.before).toMatchObject({ gpuHours: 600 });
  });

  it(`concurrent splits never overshoot the award (${target.kind})`, async () => {
    await svc.award(nationalAdmin, { id: 'race', institution: 'inst-01', period: '2027-Q1', gpuHours: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => svc.split(instAdmin, 'race', `inst-01-x${i}`, { gpuHours: 150 })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(6);
    expect(refused.every((r) => isDomainError(r.reason) && r.reason.code === 'conflict')).toBe(true);
    const detail = await svc.get(instAdmin, 'race');
    expect(detail.allocatedGpuHours).toBe(900);
    expect(detail.subAllocations).toHaveLength(6);
    expect(detail.events.filter((e) => e.kind === 'split')).toHaveLength(6);
  });

  it('a change request, approved, takes effect in the scheduler budgets and extends the splits; every step is an event the requester sees', async () => {
    await svc.split(instAdmin, 'alloc-inst-01-2026-q4', 'inst-01-x1', { gpuHours: 100 });
    const request = await svc.requests.file(instAdmin, 'alloc-inst-01-2026-q4', { gpuHours: 250, extendTo: '2027-02-01', justification: 'ablation runs for the camera-ready' });
    expect(request).toMatchObject({ status: 'pending', extraGpuHours: 250, extendTo: Date.UTC(2027, 1, 1), requestedBy: 'inst-01-r1' });
    expect((await svc.requests.list(nationalAdmin, { status: 'pending' })).map((r) => r.id)).toContain(request.id);
    expect(await svc.requests.list(otherAdmin, {})).toEqual([]);
    expect((await failure(svc.requests.get(otherAdmin, request.id))).code).toBe('not_found');

    const decision = await svc.requests.approve(nationalAdmin, request.id, { comment: 'fine' });
    expect(decision.allocation).toMatchObject({ gpuHours: 1250, periodEnd: Date.UTC(2027, 1, 1) });
    expect(decision.request).toMatchObject({ status: 'approved', decidedBy: 'admin', comment: 'fine' });
    const budgets = await loadBudgets(getDb(), Date.UTC(2026, 11, 1));
    expect(budgets.find((b) => b.institutionId === 'inst-01' && b.projectId === undefined)?.limitGpuSeconds).toBe(1250 * 3600);
    // The split followed the award's new end; budgets in January 2027 still see the award.
    const detail = await svc.get(instAdmin, 'alloc-inst-01-2026-q4');
    expect(detail.subAllocations.find((s) => s.projectId === 'inst-01-x1')?.periodEnd).toBe(Date.UTC(2027, 1, 1));
    expect(detail.events.map((e) => e.kind)).toEqual(['awarded', 'split', 'split', 'split', 'split', 'requested', 'approved']);
    expect(detail.events.at(-1)!.data).toMatchObject({ gpuHoursBefore: 1000, gpuHoursAfter: 1250, comment: 'fine' });
    expect((await loadBudgets(getDb(), Date.UTC(2027, 0, 15))).some((b) => b.institutionId === 'inst-01' && b.limitGpuSeconds === 1250 * 3600)).toBe(true);

    const twice = await failure(svc.requests.approve(nationalAdmin, request.id, {}));
    expect(twice.code).toBe('conflict');
    expect(twice.message).toContain('already approved by admin');
  });

  it('rejection needs a comment and changes nothing; requests on a split or with a past extension are refused', async () => {
    const request = await svc.requests.file(nationalAdmin, 'alloc-inst-01-2026-q4', { gpuHours: 10_000, justification: 'just because' });
    expect((await failure(svc.requests.reject(nationalAdmin, request.id, {}))).code).toBe('invalid');
    const decision = await svc.requests.reject(nationalAdmin, request.id, { comment: 'no justification given' });
    expect(decision.request).toMatchObject({ status: 'rejected', comment: 'no justification given' });
    expect(decision.allocation.gpuHours).toBe(1250);
    const events = (await svc.get(instAdmin, 'alloc-inst-01-2026-q4')).events;
    expect(events.at(-1)).toMatchObject({ kind: 'rejected', requestId: request.id, data: { comment: 'no justification given' } });

    const sub = (await svc.get(instAdmin, 'alloc-inst-01-2026-q4')).subAllocations[0]!;
    expect((await failure(svc.requests.file(instAdmin, sub.id, { gpuHours: 1, justification: 'x' }))).code).toBe('unprocessable');
    expect((await failure(svc.requests.file(instAdmin, 'alloc-inst-01-2026-q4', { extendTo: '2026-11-01', justification: 'x' }))).code).toBe('invalid');
    expect((await failure(svc.requests.file(instAdmin, 'alloc-inst-01-2026-q4', { justification: 'x' }))).code).toBe('invalid');
    expect((await failure(svc.requests.file(otherAdmin, 'alloc-inst-01-2026-q4', { gpuHours: 1, justification: 'x' }))).code).toBe('not_found');

    const actions = (await listAudit(getDb(), { action: 'allocation' }, { limit: 100 })).items.map((a) => a.action);
    expect(new Set(actions)).toEqual(new Set(['allocation.award', 'allocation.split', 'allocation.request', 'allocation.approve', 'allocation.reject']));
  });

  it('allocation events are append-only: UPDATE and DELETE are refused', async () => {
    await expect(getDb().updateTable('allocation_events').set({ kind: 'approved' }).execute()).rejects.toThrow('allocation_events is append-only: UPDATE refused');
    await expect(getDb().deleteFrom('allocation_events').execute()).rejects.toThrow('allocation_events is append-only: DELETE refused');
    await expect(getDb().updateTable('audit_log').set({ action: 'x' }).where('action', '=', 'allocation.award').execute()).rejects.toThrow('audit_log is append-only: UPDATE refused');
  });

  it('lists by institution and period, narrowed to the caller', async () => {
    expect((await svc.list(instAdmin, { period: '2026-Q4', awardsOnly: true })).map((a) => a.id)).toEqual(['alloc-inst-01-2026-q4']);
    expect((await svc.list(nationalAdmin, { period: '2026-Q1' })).map((a) => a.institutionId)).toEqual(['inst-00', 'inst-01', 'inst-02']);
    expect((await failure(svc.list(instAdmin, { institutionId: 'inst-02' }))).code).toBe('forbidden');
    expect((await failure(svc.get(otherAdmin, 'race'))).code).toBe('not_found');
  });
});
