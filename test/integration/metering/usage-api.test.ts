/**
 * The usage API over a known ledger: GET /v1/usage grouped by day/week/month/project/user/cluster/gpuType
 * (JSON and CSV), who may see what, the budget state of an allocation (used, remaining, burn rate,
 * projected exhaustion) and GET /v1/metering/discrepancies.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/api/rest/errors.js';
import { authorizeRest } from '../../../src/api/authz/rest-middleware.js';
import { RestRuleTable } from '../../../src/api/authz/rest-table.js';
import { restRules } from '../../../src/api/authz/rules.js';
import { usageRoutes } from '../../../src/api/rest/routes/usage.js';
import type { Principal } from '../../../src/domain/principal.js';
import { createLogger } from '../../../src/observability/logger.js';
import { UsageService } from '../../../src/services/usage-service.js';
import { writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { recordDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { insertMeasuredRows } from '../../../src/store/repositories/metering-ledger.js';
import { insertJobs, meteringGrid } from '../../helpers/metering-grid.js';
import { openPreferredTestDb } from '../../helpers/metering-live.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 9, 15, 12); // Thursday 2026-10-15 12:00 UTC
const grid = meteringGrid({ start: Date.UTC(2026, 9, 1), end: Date.UTC(2027, 0, 1) });
const principals: Record<string, Principal> = {
  admin: { userId: 'admin-m', institutionId: grid.institution, roles: ['national-admin'], operatorSiteIds: [] },
  researcher: { userId: grid.user, institutionId: grid.institution, roles: ['researcher'], operatorSiteIds: [] },
  outsider: { userId: 'someone', institutionId: 'inst-other', roles: ['researcher'], operatorSiteIds: [] },
};

describe('usage API', () => {
  let opened: OpenedDatabase;
  let base = '';
  let close = async () => {};
  const get = (path: string, who = 'admin', headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { 'x-who': who, ...headers } });

  beforeAll(async () => {
    opened = await openPreferredTestDb();
    const db = opened.db;
    await writeGridSeed(db, grid.seed);
    const slurm = grid.seed.pools.find((p) => p.clusterId === grid.slurm)!;
    const k8s = grid.seed.pools.find((p) => p.clusterId === grid.k8s)!;
    await insertJobs(db, grid, [
      { id: 'j-u1', clusterId: grid.slurm, poolId: slurm.id, gpuType: slurm.gpuType, nodes: 1, gpusPerNode: 1, startedAt: Date.UTC(2026, 9, 12) },
      { id: 'j-u2', clusterId: grid.k8s, poolId: k8s.id, gpuType: k8s.gpuType, nodes: 1, gpusPerNode: 1, startedAt: Date.UTC(2026, 9, 14) },
    ]);
    const row = (jobId: string, pool: typeof slurm, start: number, hours: number) => ({
      jobId, clusterId: pool.clusterId, institutionId: grid.institution, projectId: grid.project, userId: grid.user, gpuType: pool.gpuType,
      windowStart: start, windowEnd: start + 3_600_000, gpuSeconds: hours * 3600,
    });
    // 10 GPU-hours on Mon 12 Oct (Slurm), 6 on Wed 14 Oct (Kubernetes), 4 on Thu 15 Oct (Slurm): 20 of 100 awarded.
    await insertMeasuredRows(db, [row('j-u1', slurm, Date.UTC(2026, 9, 12, 8), 10), row('j-u2', k8s, Date.UTC(2026, 9, 14, 8), 6), row('j-u1', slurm, Date.UTC(2026, 9, 15, 8), 4)]);
    await recordDiscrepancies(db, [{ clusterId: grid.slurm, windowStart: NOW - DAY, windowEnd: NOW - DAY + 60_000, kind: 'unknown-job', ref: '4242', gpuSeconds: 120 }]);
    const app = express();
    app.use((req, res, next) => {
      res.locals.principal = principals[String(req.headers['x-who'])];
      next();
    });
    // Who may call which route is the authorisation table's decision, as in createApp.
    app.use('/v1', authorizeRest(new RestRuleTable(restRules)), usageRoutes(new UsageService({ db, now: () => NOW })));
    app.use(errorHandler(createLogger('silent')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((r) => server.close(() => r()));
  }, 60_000);

  afterAll(async () => {
    await close();
    await opened?.close();
  });

  it('groups GPU-hours by day (default: the 30 days up to now) with the institution budget alongside', async () => {
    const res = await get(`/v1/usage?institution=${grid.institution}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.rows.map((r: any) => [r.key, r.gpuHours])).toEqual([['2026-10-12', 10], ['2026-10-14', 6], ['2026-10-15', 4]]);
    expect(body.total).toMatchObject({ gpuHours: 20, measuredGpuSeconds: 72_000, estimatedGpuSeconds: 0 });
    expect(body.allocations).toHaveLength(1);
    // Burn over the last 7 days: 20 GPU-h / 7 d; 80 left → 28 days after now.
    expect(body.allocations[0]).toMatchObject({ allocation: grid.allocation, awardedGpuHours: 100, usedGpuHours: 20, remainingGpuHours: 80, exhausted: false, projectedExhaustion: new Date(NOW + 28 * DAY).toISOString(), exhaustsBeforePeriodEnd: true });
  });

  it('groups by week, month, project, user, cluster and GPU type', async () => {
    const keys = async (groupBy: string) => ((await (await get(`/v1/usage?groupBy=${groupBy}&from=2026-10-01&to=2026-10-16`)).json()) as any).rows.map((r: any) => [r.key, r.gpuHours]);
    expect(await keys('week')).toEqual([['2026-10-12', 20]]);
    expect(await keys('month')).toEqual([['2026-10', 20]]);
    expect(await keys('project')).toEqual([[grid.project, 20]]);
    expect(await keys('user')).toEqual([[grid.user, 20]]);
    expect(await keys('cluster')).toEqual([[grid.k8s, 6], [grid.slurm, 14]].sort());
    expect(await keys('gpuType')).toEqual([['A100-40GB', 14], ['H100-80GB', 6]]);
  });

  it('answers CSV with Accept: text/csv or format=csv', async () => {
    const csv = 'day,gpu_hours,gpu_seconds,measured_gpu_seconds,estimated_gpu_seconds\n2026-10-12,10,36000,36000,0\n2026-10-14,6,21600,21600,0\n2026-10-15,4,14400,14400,0\n';
    const a = await get(`/v1/usage?institution=${grid.institution}&from=2026-10-01`, 'admin', { accept: 'text/csv' });
    expect(a.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await a.text()).toBe(csv);
    expect(await (await get(`/v1/usage?institution=${grid.institution}&from=2026-10-01&format=csv`)).text()).toBe(csv);
  });

  it('narrows a researcher to their own usage and refuses other institutions', async () => {
    expect(((await (await get('/v1/usage', 'researcher')).json()) as any).filter).toEqual({ user: grid.user });
    const other = await get(`/v1/usage?institution=${grid.institution}`, 'outsider');
    expect(other.status).toBe(403);
    expect(((await other.json()) as any).error.message).toMatch(/own institution/);
  });

  it('refuses bad parameters with a 400 that names them', async () => {
    for (const [q, name] of [['groupBy=hour', 'groupBy'], ['from=yesterday', 'from'], ['from=2026-10-10&to=2026-10-01', 'from'], ['colour=red', 'colour'], ['format=xml', 'format']] as const) {
      const res = await get(`/v1/usage?${q}`);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(await res.json()), q).toContain(name);
    }
  });

  it('shows an allocation budget at /v1/allocations/:id/usage; not to other institutions', async () => {
    const res = await get(`/v1/allocations/${grid.allocation}/usage`, 'researcher');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ allocation: grid.allocation, usedGpuHours: 20, remainingGpuHours: 80, burnRateGpuHoursPerDay: Number((20 / 7).toFixed(6)) });
    expect((await get(`/v1/allocations/${grid.allocation}/usage`, 'outsider')).status).toBe(404);
  });

  it('lists discrepancies for admins and operators only', async () => {
    const body = (await (await get('/v1/metering/discrepancies?kind=unknown-job')).json()) as any;
    expect(body.items).toEqual([expect.objectContaining({ cluster: grid.slurm, kind: 'unknown-job', ref: '4242', gpuSeconds: 120 })]);
    expect((await get('/v1/metering/discrepancies', 'researcher')).status).toBe(403);
  });
});
