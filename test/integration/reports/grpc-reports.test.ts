/** gRPC ncg.v1.ReportService over the same report service as REST: KPIs, the Pillar-5 CSV, snapshots, auth. */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos, serviceConstructor, startGrpcServer, type GrpcServerHandle } from '../../../src/api/grpc/index.js';
import { defaultReportsConfig } from '../../../src/reports/config.js';
import { ReportService } from '../../../src/reports/report-service.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InventoryService } from '../../../src/services/inventory-service.js';
import { JobService } from '../../../src/services/job-service.js';
import { createApiToken, listClusters, listSites, resolveToken, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { jobEvents } from '../../../src/store/repositories/jobs.js';
import { openPgliteTestDb } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

let opened: OpenedDatabase;
let server: GrpcServerHandle;
let client: grpc.Client & Record<string, (req: unknown, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: any) => void) => void>;
let token: string;

const call = (method: string, req: unknown, secret = token) =>
  new Promise<any>((resolve, reject) => {
    const md = new grpc.Metadata();
    if (secret) md.set('authorization', `Bearer ${secret}`);
    client[method]!(req, md, (e, r) => (e ? reject(e) : resolve(r)));
  });

beforeAll(async () => {
  opened = await openPgliteTestDb();
  const db = opened.db;
  await writeGridSeed(db, gridFixture(3), Date.UTC(2025, 0, 1));
  token = (await createApiToken(db, { userId: 'admin', name: 'test' })).secret;
  const reports = new ReportService({ db, now: Date.now, config: defaultReportsConfig, freshnessMs: 0 });
  server = await startGrpcServer(
    {
      log: createLogger('silent'), jobs: new JobService({ db }), inventory: new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, new Map()),
      resolveToken: (s) => resolveToken(db, s), jobEvents: (id, after) => jobEvents(db, id, after), reports,
    },
    '127.0.0.1',
    0,
  );
  const Ctor = serviceConstructor(loadProtos(), 'ncg.v1.ReportService');
  client = new Ctor(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as typeof client;
}, 60_000);

afterAll(async () => {
  client?.close();
  await server?.close(1_000);
  await opened?.close();
});

describe('ncg.v1.ReportService', () => {
  it('GetKpis answers the KPIs of a period, grouped, with the national row', async () => {
    // The fixture's pools are registered now, so this month has them.
    const month = new Date().toISOString().slice(0, 7);
    const r = await call('GetKpis', { period: month, group_by: 'site' });
    expect(r.period).toBe(month);
    expect(r.national.gpus).toBe(52);
    expect(r.groups.map((g: any) => g.key)).toEqual(['aux-quetta', 'coe-islamabad']);
    expect(r.institutions_registered).toBe(3);
    expect(r.targets.map((t: any) => t.target)).toEqual([100, 150]);
    expect(JSON.parse(r.document_json).groupBy).toBe('site');
  });

  it('GetPillar5Report renders CSV; a bad period or format is INVALID_ARGUMENT; no token is UNAUTHENTICATED', async () => {
    const csv = await call('GetPillar5Report', { period: '2026-Q1', format: 'csv' });
    expect(csv.content_type).toBe('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('section,key,label,metric,value');
    await expect(call('GetKpis', { period: '2026-13' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(call('GetPillar5Report', { format: 'pdf' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(call('ListSnapshots', {}, '')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('ListSnapshots lists (none yet)', async () => {
    expect(await call('ListSnapshots', {})).toEqual({ snapshots: [] });
  });
});
