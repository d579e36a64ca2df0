/**
 * The scheduled metering pass (on PostgreSQL; PGlite where it is absent), against a scripted Prometheus (the PromQL itself is
 * tested against real Prometheus elsewhere): it meters new windows from the lookback, leaves windows
 * pending with estimates while Prometheus answers 503, measures them (reversing the estimates) once it
 * answers, sweeps estimates the control loop writes late, gives up on windows pending too long, and
 * reports through NcgMetrics.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordUsage } from '../../../src/control/usage-recorder.js';
import { Meter, meteringConfigSchema, PrometheusClient, runScheduledPass } from '../../../src/metering/index.js';
import { storeClusters } from '../../../src/metering/start.js';
import { NcgMetrics } from '../../../src/observability/ncg-metrics.js';
import { writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { ledgerTotalsOfJobs } from '../../../src/store/repositories/metering-ledger.js';
import { pendingWindows, windowStatuses } from '../../../src/store/repositories/metering-windows.js';
import { insertJobs, meteringGrid } from '../../helpers/metering-grid.js';
import { openPreferredTestDb } from '../../helpers/metering-live.js';

const MIN = 60_000;
const grid = meteringGrid();
const T = Math.floor(Date.now() / MIN) * MIN - 60 * MIN; // an hour ago, aligned

/** Prometheus as a script: while `up`, every window is complete and job j-sp holds 2 GPUs on the Slurm cluster. */
function scriptedPrometheus(state: { up: boolean }): PrometheusClient {
  const fetchFn = (async (_url: string, init: { body: string }) => {
    if (!state.up) return new Response('{"status":"error","error":"unavailable"}', { status: 503 });
    const p = new URLSearchParams(init.body);
    const [q, start, end, step] = [p.get('query')!, Number(p.get('start')), Number(p.get('end')), Number(p.get('step'))];
    const times: number[] = [];
    for (let t = start; t <= end; t += step) times.push(t);
    const mine = q.includes(grid.slurm);
    const series = q.includes('count_over_time')
      ? [{ metric: { instance: 'x' }, values: times.map((t) => [t, '4']) }]
      : mine && !q.includes('avg_over_time')
        ? [{ metric: { hpc_job: 'j-sp' }, values: times.map((t) => [t, '120']) }]
        : [];
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: series } }), { status: 200 });
  }) as unknown as typeof fetch;
  return new PrometheusClient({ url: 'http://scripted', fetch: fetchFn, retries: 0 });
}

describe('metering: the scheduled pass', () => {
  let opened: OpenedDatabase | undefined;
  const getDb = () => opened!.db;
  const prom = { up: true };
  let now = T + 10 * MIN;
  const registry = new Registry();
  const metrics = new NcgMetrics(registry);
  const config = meteringConfigSchema.parse({ lagSeconds: 60, lookbackSeconds: 300, pendingMaxAgeSeconds: 3_600 });
  let pass: () => ReturnType<typeof runScheduledPass>;

  beforeAll(async () => {
    opened = await openPreferredTestDb();
    const db = getDb();
    await writeGridSeed(db, grid.seed);
    const pool = grid.seed.pools.find((p) => p.clusterId === grid.slurm)!;
    await insertJobs(db, grid, [{ id: 'j-sp', clusterId: grid.slurm, poolId: pool.id, gpuType: pool.gpuType, nodes: 1, gpusPerNode: 2, startedAt: T }]);
    const clusters = async () => (await storeClusters(db)()).filter((c) => c.id === grid.slurm);
    const meter = new Meter({ db, config, clusters, halfLifeSeconds: 604_800, client: scriptedPrometheus(prom), now: () => now, observer: metrics });
    pass = () => runScheduledPass({ db, meter, config, clusters, halfLifeSeconds: 604_800, now: () => now });
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('first pass: the windows of the lookback, up to the lag, measured', async () => {
    const report = await pass();
    expect(report.errors).toEqual([]);
    expect(report.windowsMeasured).toBe(5); // [T+4, T+9) min: lookback 5 min before now − lag
    expect((await ledgerTotalsOfJobs(getDb(), ['j-sp'])).get('j-sp')).toEqual({ measured: 600, estimated: 0, reversed: 0, net: 600 });
    expect(await registry.getSingleMetricAsString('ncg_metered_gpu_seconds_total')).toContain(`ncg_metered_gpu_seconds_total{institution="${grid.institution}",cluster="${grid.slurm}",gpu_type="A100-40GB"} 600`);
  });

  it('Prometheus down: the new windows pending, estimated from the job start up to their end, measured ones reversed at once', async () => {
    prom.up = false;
    now += 3 * MIN;
    const report = await pass();
    expect(report.windowsPending).toBe(3);
    expect(report.errors[0]!.message).toMatch(/unavailable/);
    // The estimate runs from the job's start (T) to T+12 min: 1440 GPU-s, of which the 5 measured minutes are reversed.
    expect((await ledgerTotalsOfJobs(getDb(), ['j-sp'])).get('j-sp')).toEqual({ measured: 600, estimated: 1440, reversed: -600, net: 1440 });
    expect((await pendingWindows(getDb())).map((w) => (w.start - T) / MIN)).toEqual([9, 10, 11]);
    expect(await registry.getSingleMetricAsString('ncg_metering_prometheus_errors_total')).toContain(`cluster="${grid.slurm}",kind="unavailable"} 1`);
  });

  it('Prometheus back: pending windows measured, their estimates reversed; the net is the measurement', async () => {
    prom.up = true;
    now += MIN;
    const report = await pass();
    expect(report.errors).toEqual([]);
    expect(report.windowsMeasured).toBe(4); // 3 pending + 1 new
    expect(await pendingWindows(getDb())).toEqual([]);
    const t = (await ledgerTotalsOfJobs(getDb(), ['j-sp'])).get('j-sp')!;
    expect(t.measured).toBe(9 * 120);
    // Estimates cover [T, T+12 min) of which [T+4, T+12) is measured; [T, T+4) was never metered (before the lookback).
    expect(t.net).toBe(t.measured + 4 * 120);
  });

  it('an estimate the control loop writes late is swept on the next pass', async () => {
    await recordUsage(getDb(), [{ jobId: 'j-sp', institutionId: grid.institution, projectId: grid.project, userId: grid.user, clusterId: grid.slurm, gpuType: 'A100-40GB', gpus: 2, startedAt: T, end: T + 13 * MIN, minWindowMs: 0 }], now, 604_800);
    const before = (await ledgerTotalsOfJobs(getDb(), ['j-sp'])).get('j-sp')!;
    expect(before.estimated).toBe(13 * 120);
    const report = await pass();
    expect(report.reversals).toBeGreaterThanOrEqual(1);
    const after = (await ledgerTotalsOfJobs(getDb(), ['j-sp'])).get('j-sp')!;
    expect(after.net).toBe(after.measured + 4 * 120);
  });

  it('windows pending longer than pendingMaxAgeSeconds become estimated (final)', async () => {
    prom.up = false;
    now += 2 * MIN;
    await pass();
    const pending = await pendingWindows(getDb());
    expect(pending.length).toBeGreaterThan(0);
    // first_tried_at is the database's clock: expire everything pending by looking from an hour ahead.
    now = Date.now() + 2 * 3_600_000;
    const report = await pass();
    expect(report.windowsExpired).toBe(pending.length);
    const statuses = await windowStatuses(getDb(), grid.slurm, pending[0]!.start, pending[0]!.end);
    expect(statuses.get(pending[0]!.start)).toBe('estimated');
  });
});
