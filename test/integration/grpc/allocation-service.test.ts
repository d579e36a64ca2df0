/**
 * ncg.v1.AllocationService over a real gRPC connection (PGlite): award, split (and the refusal that
 * states award, allocated and requested), change request, approval; another institution's allocation is
 * NOT_FOUND; the audit trail records the peer address of the call.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos, serviceConstructor, startGrpcServer, type GrpcServerHandle } from '../../../src/api/grpc/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { AllocationService } from '../../../src/services/allocation-service.js';
import { InventoryService } from '../../../src/services/inventory-service.js';
import { JobService } from '../../../src/services/job-service.js';
import { createApiToken, listClusters, listSites, resolveToken, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { listAudit } from '../../../src/store/repositories/audit-log.js';
import { jobEvents } from '../../../src/store/repositories/jobs.js';
import { openPgliteTestDb } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

let opened: OpenedDatabase;
let server: GrpcServerHandle;
let client: grpc.Client;
const tokens: Record<string, string> = {};

function call(method: string, request: unknown, user: string): Promise<{ res?: any; err?: grpc.ServiceError }> {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${tokens[user]}`);
  return new Promise((resolve) => {
    const fn = (client as unknown as Record<string, (...args: unknown[]) => void>)[method]!.bind(client);
    fn(request, md, { deadline: Date.now() + 20_000 }, (err: grpc.ServiceError | null, res: unknown) => resolve(err ? { err } : { res }));
  });
}

beforeAll(async () => {
  opened = await openPgliteTestDb();
  const db = opened.db;
  await writeGridSeed(db, gridFixture(3));
  await db.insertInto('users').values({ id: 'inst-01-admin', institution_id: 'inst-01', name: 'IA', email: 'ia@inst-01.pk' }).execute();
  await db.insertInto('user_roles').values({ user_id: 'inst-01-admin', role: 'institution-admin' }).execute();
  for (const u of ['admin', 'inst-01-admin', 'inst-02-r1']) tokens[u] = (await createApiToken(db, { userId: u, name: 'test' })).secret;
  const log = createLogger('silent');
  server = await startGrpcServer(
    {
      log,
      jobs: new JobService({ db, log }),
      inventory: new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, new Map()),
      resolveToken: (secret) => resolveToken(db, secret),
      jobEvents: (id, after) => jobEvents(db, id, after),
      allocations: new AllocationService({ db }),
    },
    '127.0.0.1',
    0,
  );
  client = new (serviceConstructor(loadProtos(), 'ncg.v1.AllocationService'))(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(async () => {
  client?.close();
  await server?.close(500);
  await opened?.close();
});

describe('ncg.v1.AllocationService', () => {
  it('award, split, request, approve — and the timeline', async () => {
    const award = await call('Award', { institution: 'inst-01', period: '2027-Q2', gpu_hours: 800, kind: 'soft', grace_pct: 5 }, 'admin');
    expect(award.err).toBeUndefined();
    expect(award.res).toMatchObject({ id: 'alloc-inst-01-2027-q2', institution: 'inst-01', period_start_ms: Date.UTC(2027, 3, 1), gpu_hours: 800, kind: 'soft', grace_pct: 5, may_borrow: true });

    const split = await call('Split', { allocation: 'alloc-inst-01-2027-q2', project: 'inst-01-p1', gpu_hours: 500 }, 'inst-01-admin');
    expect(split.res).toMatchObject({ sub_allocation: { project: 'inst-01-p1', parent: 'alloc-inst-01-2027-q2', gpu_hours: 500 }, allocated_gpu_hours: 500, available_gpu_hours: 300 });
    const over = await call('Split', { allocation: 'alloc-inst-01-2027-q2', project: 'inst-01-p1', gpu_hours: 801 }, 'inst-01-admin');
    expect(over.err?.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(over.err?.details).toContain('is 800 GPU-hours; 0 are already allocated to other projects; 801 requested');

    const filed = await call('RequestChange', { allocation: 'alloc-inst-01-2027-q2', gpu_hours: 200, extend_to_ms: Date.UTC(2027, 7, 1), justification: 'longer runs' }, 'inst-01-admin');
    expect(filed.res).toMatchObject({ status: 'pending', extra_gpu_hours: 200, extend_to_ms: Date.UTC(2027, 7, 1), requested_by: 'inst-01-admin' });
    const pending = await call('ListChangeRequests', { status: 'pending' }, 'admin');
    expect(pending.res.items.map((r: { id: string }) => r.id)).toEqual([filed.res.id]);
    const approved = await call('Approve', { id: filed.res.id, comment: 'ok' }, 'admin');
    expect(approved.res).toMatchObject({ request: { status: 'approved', decided_by: 'admin', comment: 'ok' }, allocation: { gpu_hours: 1000, period_end_ms: Date.UTC(2027, 7, 1) } });
    expect((await call('Reject', { id: filed.res.id, comment: 'late' }, 'admin')).err?.code).toBe(grpc.status.ALREADY_EXISTS);

    const detail = await call('Get', { id: 'alloc-inst-01-2027-q2' }, 'inst-01-admin');
    expect(detail.res.events.map((e: { kind: string }) => e.kind)).toEqual(['awarded', 'split', 'requested', 'approved']);
    expect(JSON.parse(detail.res.events[3].data_json)).toMatchObject({ gpuHoursBefore: 800, gpuHoursAfter: 1000 });
    expect(detail.res.sub_allocations[0].period_end_ms).toBe(Date.UTC(2027, 7, 1));
  });

  it('another institution’s allocation is NOT_FOUND; bad fields are INVALID_ARGUMENT naming them; the audit row has the peer', async () => {
    expect((await call('Get', { id: 'alloc-inst-01-2027-q2' }, 'inst-02-r1')).err?.code).toBe(grpc.status.NOT_FOUND);
    const bad = await call('Award', { institution: 'inst-02', period: '2027-Q9', gpu_hours: 1 }, 'admin');
    expect(bad.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.err?.details).toContain('period');
    expect((await call('Split', { allocation: 'alloc-inst-01-2027-q2' }, 'inst-01-admin')).err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    const audit = await listAudit(opened.db, { action: 'allocation.award' }, { limit: 10 });
    expect(audit.items[0]).toMatchObject({ actorUserId: 'admin', targetId: 'alloc-inst-01-2027-q2' });
    expect(audit.items[0]!.clientAddress).toMatch(/127\.0\.0\.1/);
    expect(audit.items[0]!.tokenId).toMatch(/^tok-/);
  });
});
