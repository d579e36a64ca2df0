/**
 * `ncg.v1.UsageService` over gRPC: the same answers and rules as REST /v1/usage (usage-api.test.ts),
 * through clients generated at runtime from proto/ncg/v1/usage.proto.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos, serviceConstructor, startGrpcServer, type GrpcServerHandle } from '../../../src/api/grpc/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { UsageService } from '../../../src/services/usage-service.js';
import { createApiToken, resolveToken, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { insertMeasuredRows } from '../../../src/store/repositories/metering-ledger.js';
import { recordDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { insertJobs, meteringGrid } from '../../helpers/metering-grid.js';
import { openPreferredTestDb } from '../../helpers/metering-live.js';

const NOW = Date.UTC(2026, 9, 15, 12);
const grid = meteringGrid({ start: Date.UTC(2026, 9, 1), end: Date.UTC(2027, 0, 1) });

describe('UsageService over gRPC', () => {
  let opened: OpenedDatabase;
  let server: GrpcServerHandle;
  let client: grpc.Client;
  const tokens: Record<string, string> = {};

  const call = (method: string, request: unknown, who = 'admin-m'): Promise<{ res?: any; err?: grpc.ServiceError }> =>
    new Promise((resolve) => {
      const md = new grpc.Metadata();
      md.set('authorization', `Bearer ${tokens[who]}`);
      const fn = (client as unknown as Record<string, (...a: unknown[]) => void>)[method]!.bind(client);
      fn(request, md, { deadline: Date.now() + 20_000 }, (err: grpc.ServiceError | null, res: unknown) => resolve(err ? { err } : { res }));
    });

  beforeAll(async () => {
    opened = await openPreferredTestDb();
    const db = opened.db;
    await writeGridSeed(db, grid.seed);
    for (const u of grid.seed.users) tokens[u.id] = (await createApiToken(db, { userId: u.id, name: 'test' })).secret;
    const pool = grid.seed.pools[0]!;
    await insertJobs(db, grid, [{ id: 'j-g1', clusterId: pool.clusterId, poolId: pool.id, gpuType: pool.gpuType, nodes: 1, gpusPerNode: 1, startedAt: Date.UTC(2026, 9, 12) }]);
    const row = (start: number, hours: number) => ({ jobId: 'j-g1', clusterId: pool.clusterId, institutionId: grid.institution, projectId: grid.project, userId: grid.user, gpuType: pool.gpuType, windowStart: start, windowEnd: start + 3_600_000, gpuSeconds: hours * 3600 });
    await insertMeasuredRows(db, [row(Date.UTC(2026, 9, 12, 8), 10), row(Date.UTC(2026, 9, 14, 8), 4)]);
    await recordDiscrepancies(db, [{ clusterId: pool.clusterId, windowStart: NOW - 3_600_000, windowEnd: NOW - 3_540_000, kind: 'unknown-job', ref: '4242', gpuSeconds: 30 }]);
    const log = createLogger('silent');
    server = await startGrpcServer(
      { log, jobs: {} as never, inventory: { listClusters: async () => [] }, resolveToken: (s) => resolveToken(db, s), jobEvents: async () => [], usage: new UsageService({ db, now: () => NOW }) },
      '127.0.0.1',
      0,
    );
    client = new (serviceConstructor(loadProtos(), 'ncg.v1.UsageService'))(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await server?.close(1_000);
    await opened?.close();
  });

  it('GetUsage groups GPU-hours by day, with the institution’s budget', async () => {
    const { res, err } = await call('GetUsage', { institution: grid.institution, from_ms: Date.UTC(2026, 9, 1), to_ms: NOW });
    expect(err).toBeUndefined();
    expect(res.group_by).toBe('day');
    expect(res.rows.map((r: any) => [r.key, r.gpu_hours])).toEqual([['2026-10-12', 10], ['2026-10-14', 4]]);
    expect(res.total).toMatchObject({ gpu_seconds: 50_400, measured_gpu_seconds: 50_400 });
    expect(res.allocations[0]).toMatchObject({ allocation: grid.allocation, awarded_gpu_hours: 100, used_gpu_hours: 14, exhausted: false, projected_exhaustion_ms: NOW + Math.round((86 / (14 / 7)) * 86_400_000) });
  });

  it('GetAllocationUsage and ListDiscrepancies; errors map as in REST', async () => {
    expect((await call('GetAllocationUsage', { allocation: grid.allocation }, grid.user)).res).toMatchObject({ used_gpu_hours: 14, remaining_gpu_hours: 86 });
    expect((await call('GetAllocationUsage', { allocation: 'nope' })).err?.code).toBe(grpc.status.NOT_FOUND);
    const list = await call('ListDiscrepancies', { kind: 'unknown-job' });
    expect(list.res.items).toEqual([expect.objectContaining({ kind: 'unknown-job', ref: '4242', gpu_seconds: 30 })]);
    expect((await call('ListDiscrepancies', {}, grid.user)).err?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect((await call('GetUsage', { group_by: 'hour' })).err?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
