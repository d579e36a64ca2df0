/**
 * ncg's own metrics: what /metrics serves (the build info and process metrics, plus NcgMetrics with state
 * read from the database on scrape) passes `promtool check metrics`, and the gauges show the store's state.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../../src/api/rest/routes/health.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { gridStateSource } from '../../../src/observability/grid-state-source.js';
import { NcgMetrics } from '../../../src/observability/ncg-metrics.js';
import { writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { insertMeasuredRows } from '../../../src/store/repositories/metering-ledger.js';
import { recordDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { recordWindows } from '../../../src/store/repositories/metering-windows.js';
import { insertJobs, meteringGrid } from '../../helpers/metering-grid.js';
import { openPreferredTestDb } from '../../helpers/metering-live.js';
import { NCG_TARGETS_DIR, PROMETHEUS_URL, prometheusGate, waitForTargetsUp, writeTargetFile } from '../../helpers/prometheus.js';
import { requireService } from '../../helpers/require-service.js';

function run(cmd: string, args: string[], input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
    child.stdin.end(input);
  });
}

const prometheus = await prometheusGate();
const promtool = await requireService('promtool', () => run('promtool', ['--version'], ''), { hint: 'install it with: bash scripts/services.sh up prometheus' });
const grid = meteringGrid();

describe('ncg /metrics', () => {
  let opened: OpenedDatabase;
  let metrics: NcgMetrics;
  let url = '';
  let close = async () => {};

  beforeAll(async () => {
    opened = await openPreferredTestDb();
    const db = opened.db;
    await writeGridSeed(db, grid.seed);
    const pool = grid.seed.pools[0]!;
    const now = Date.now();
    await insertJobs(db, grid, [{ id: 'j-m1', clusterId: pool.clusterId, poolId: pool.id, gpuType: pool.gpuType, nodes: 1, gpusPerNode: 2, startedAt: now - 600_000 }]);
    await db.insertInto('job_events').values([{ job_id: 'j-m1', from_state: null, to_state: 'queued', at: new Date(now - 700_000) }, { job_id: 'j-m1', from_state: 'queued', to_state: 'running', at: new Date(now - 600_000) }]).execute();
    const w = { start: Math.floor(now / 60_000) * 60_000 - 180_000, end: Math.floor(now / 60_000) * 60_000 - 120_000 };
    await recordWindows(db, [{ clusterId: pool.clusterId, ...w }], 'measured');
    await recordWindows(db, [{ clusterId: grid.k8s, ...w }], 'pending', 'down');
    await insertMeasuredRows(db, [{ jobId: 'j-m1', clusterId: pool.clusterId, institutionId: grid.institution, projectId: grid.project, userId: grid.user, gpuType: pool.gpuType, windowStart: w.start, windowEnd: w.end, gpuSeconds: 36_000 }]);
    await recordDiscrepancies(db, [{ clusterId: pool.clusterId, windowStart: w.start, windowEnd: w.end, kind: 'unknown-job', ref: '77', gpuSeconds: 60 }]);

    const registry: Registry = createMetricsRegistry({ database: opened.kind, grid: 'sim' });
    metrics = new NcgMetrics(registry, { source: gridStateSource(db) });
    // A cycle in which the Slurm cluster refused two dispatches and the Kubernetes one left one unanswered.
    metrics.controlMetrics(() => [grid.slurm, grid.k8s]).observe({
      accepted: 1, unavailableClusters: [grid.k8s],
      dispatchFailures: [{ clusterId: grid.slurm, kind: 'refused', count: 2 }, { clusterId: grid.k8s, kind: 'unavailable', count: 1 }],
    } as never, 0.042);
    metrics.charged([{ jobId: 'j-m1', clusterId: pool.clusterId, institutionId: grid.institution, projectId: grid.project, userId: grid.user, gpuType: pool.gpuType, windowEnd: w.end, gpuSeconds: 36_000 }]);
    metrics.prometheusError(grid.k8s, 'unavailable');
    const app = express().use(healthRoutes({ metrics: registry, readiness: async () => ({ ready: true, checks: {} }) }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((r) => server.close(() => r()));
  }, 60_000);

  afterAll(async () => {
    await close();
    await opened?.close();
  });

  it.runIf(promtool.available)('passes promtool check metrics', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const lint = await run('promtool', ['check', 'metrics'], text);
    expect(lint.out).toBe('');
    expect(lint.code).toBe(0);
  });

  it.runIf(prometheus.available)('is scraped by the shared Prometheus (its `ncg` job)', async () => {
    const tag = `ncg-${grid.tag}`;
    const remove = writeTargetFile(NCG_TARGETS_DIR, tag, [{ targets: [new URL(url).host], labels: { ncg_instance: tag } }]);
    try {
      await waitForTargetsUp(PROMETHEUS_URL, [tag], 30_000, 'ncg_instance');
    } finally {
      remove();
    }
  }, 40_000);

  it('shows the store: pending and allocated GPUs, pool sizes, transitions, lag, pending windows, discrepancies, budget use', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = (prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));
    expect(line(`ncg_gpus_allocated{cluster="${grid.slurm}",pool="${grid.slurmPool}",gpu_type="A100-40GB"}`)).toMatch(/ 2$/);
    expect(line(`ncg_pool_gpus{cluster="${grid.slurm}",pool="${grid.slurmPool}",gpu_type="A100-40GB"}`)).toMatch(/ 8$/);
    expect(line(`ncg_pool_gpus_available{cluster="${grid.slurm}",pool="${grid.slurmPool}",gpu_type="A100-40GB"}`)).toMatch(/ 6$/);
    expect(line('ncg_job_state_transitions_total{from="queued",to="running"}')).toMatch(/ 1$/);
    expect(Number(line(`ncg_ledger_lag_seconds{cluster="${grid.slurm}"}`)!.split(' ')[1])).toBeGreaterThanOrEqual(120);
    expect(line(`ncg_metering_windows_pending{cluster="${grid.k8s}"}`)).toMatch(/ 1$/);
    expect(line(`ncg_metering_discrepancies_total{cluster="${grid.slurm}",kind="unknown-job"}`)).toMatch(/ 1$/);
    expect(line(`ncg_allocation_budget_used_ratio{allocation="${grid.allocation}",institution="${grid.institution}"}`)).toMatch(/ 0\.1$/);
    expect(line(`ncg_cluster_up{cluster="${grid.k8s}"}`)).toMatch(/ 0$/);
    expect(line(`ncg_cluster_up{cluster="${grid.slurm}"}`)).toMatch(/ 1$/);
    expect(line('ncg_scheduling_cycle_duration_seconds_count')).toMatch(/ 1$/);
    expect(line(`ncg_dispatch_errors_total{cluster="${grid.slurm}",kind="refused"}`)).toMatch(/ 2$/);
    expect(line(`ncg_dispatch_errors_total{cluster="${grid.k8s}",kind="unavailable"}`)).toMatch(/ 1$/);
    // Transitions are counted incrementally from the event log: a second scrape adds nothing new.
    const again = await (await fetch(`${url}/metrics`)).text();
    expect(again.split('\n').find((l) => l.startsWith('ncg_job_state_transitions_total{from="queued",to="running"}'))).toMatch(/ 1$/);
  });
});
