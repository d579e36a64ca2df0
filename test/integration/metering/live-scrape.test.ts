/**
 * Issue 7, tests (1) and (4) against the shared Prometheus (scripts/services.sh up prometheus): jobs run in
 * real time on a Slurm-style and a Kubernetes-style sim cluster for about half a minute while Prometheus
 * scrapes them every second; metering that period puts within 5 % of each job's true GPU-seconds in the
 * ledger (measured, not estimated), records the GPU use of a job ncg does not know and of a job ncg holds
 * as ended, and a second run over the same windows changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignDown } from '../../../src/metering/index.js';
import { listDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { pendingWindows } from '../../../src/store/repositories/metering-windows.js';
import { insertJobs } from '../../helpers/metering-grid.js';
import { LIVE_STEP_SECONDS, LiveMeteringBench, sleep } from '../../helpers/metering-live.js';
import { DCGM_TARGETS_DIR, PROMETHEUS_URL, prometheusGate, simTargets, waitForTargetsUp, writeTargetFile } from '../../helpers/prometheus.js';

const gate = await prometheusGate();
const STEP_MS = LIVE_STEP_SECONDS * 1000;

describe.runIf(gate.available)('metering a live scrape (shared Prometheus, 1 s scrapes)', () => {
  let bench: LiveMeteringBench;
  let removeTargets: () => void = () => {};
  let from = 0;
  let to = 0;

  beforeAll(async () => {
    bench = await LiveMeteringBench.open();
    const { slurm, k8s } = bench.grid;
    removeTargets = writeTargetFile(DCGM_TARGETS_DIR, bench.grid.tag, simTargets(bench.exporter.port, [slurm, k8s]));
    await waitForTargetsUp(PROMETHEUS_URL, [slurm, k8s]);
    // One full window of scrapes before the first job, so the first metered window is complete.
    await sleep(STEP_MS);
    from = alignDown(Date.now(), STEP_MS);
    await bench.start({ id: 'j-live-a', clusterId: slurm, nodes: 1, gpusPerNode: 2, seconds: 24, utilPct: 70 });
    await bench.start({ id: 'j-live-b', clusterId: k8s, nodes: 2, gpusPerNode: 3, seconds: 30, utilPct: 90 });
    await bench.start({ id: 'j-live-d', clusterId: slurm, nodes: 1, gpusPerNode: 2, seconds: 12, known: false });
    // A job ncg holds as ended two minutes ago, still holding a GPU on the Kubernetes cluster.
    await bench.start({ id: 'j-live-e', clusterId: k8s, nodes: 1, gpusPerNode: 1, seconds: 15, known: false });
    const k8sPool = bench.grid.seed.pools.find((p) => p.clusterId === k8s)!;
    await insertJobs(bench.db, bench.grid, [{ id: 'j-live-e', clusterId: k8s, poolId: k8sPool.id, gpuType: k8sPool.gpuType, nodes: 1, gpusPerNode: 1, startedAt: Date.now() - 300_000, endedAt: Date.now() - 120_000 }]);
    await sleep(6_000);
    await bench.start({ id: 'j-live-c', clusterId: slurm, nodes: 1, gpusPerNode: 4, seconds: 18, nodeOffset: 1, utilPct: 50 });
    // Every job has ended (b: 30 s from the start); wait out the last scrapes and the lag.
    await sleep(25_000);
    await bench.reconcileEnded();
    await sleep(3_000);
    to = alignDown(Date.now() - 2_000, STEP_MS);
  }, 120_000);

  afterAll(async () => {
    removeTargets();
    await bench?.close();
  });

  it('meters each job within 5 % of GPUs × run time, all of it measured, with utilisation as efficiency', async () => {
    const report = await bench.meter(PROMETHEUS_URL).meterRange(from, to);
    expect(report.errors).toEqual([]);
    expect(report.windowsPending).toBe(0);
    expect(report.windowsMeasured).toBe(2 * ((to - from) / STEP_MS));
    const totals = await bench.totals();
    for (const id of ['j-live-a', 'j-live-b', 'j-live-c']) {
      const truth = bench.truth(id);
      const t = totals.get(id)!;
      expect(t.estimated, id).toBe(0);
      expect(t.measured, id).toBe(t.net);
      expect(Math.abs(t.net - truth) / truth, `${id}: ledger ${t.net} GPU-s vs truth ${truth}`).toBeLessThanOrEqual(0.05);
    }
    const efficiency = await bench.db.selectFrom('ledger_entries').select(['job_id', 'efficiency']).where('job_id', 'in', ['j-live-a', 'j-live-b', 'j-live-c']).execute();
    const byJob = new Map(efficiency.map((r) => [r.job_id, r.efficiency]));
    expect(byJob.get('j-live-a')).toBeCloseTo(0.7, 6);
    expect(byJob.get('j-live-b')).toBeCloseTo(0.9, 6);
    expect(byJob.get('j-live-c')).toBeCloseTo(0.5, 6);
    expect(await pendingWindows(bench.db)).toEqual([]);
  });

  it('records GPU use of a job ncg does not know, and of a job ncg holds as ended (charged, and flagged)', async () => {
    const { items } = await listDiscrepancies(bench.db, {}, { limit: 500 });
    const unknown = items.filter((d) => d.kind === 'unknown-job');
    expect(new Set(unknown.map((d) => d.ref))).toEqual(new Set(['j-live-d']));
    expect(unknown.every((d) => d.clusterId === bench.grid.slurm && d.jobId === undefined)).toBe(true);
    const d = unknown.reduce((s, x) => s + x.gpuSeconds, 0);
    expect(Math.abs(d - 24) / 24).toBeLessThanOrEqual(0.1); // 2 GPUs × 12 s
    const ended = items.filter((x) => x.kind === 'ended-job');
    expect(new Set(ended.map((x) => x.jobId))).toEqual(new Set(['j-live-e']));
    expect(ended.every((x) => x.ref === 'j-live-e' && x.clusterId === bench.grid.k8s)).toBe(true);
    const charged = (await bench.db.selectFrom('ledger_entries').select((eb) => eb.fn.sum<string>('gpu_seconds').as('s')).where('job_id', '=', 'j-live-e').executeTakeFirstOrThrow()).s;
    expect(Math.abs(Number(charged) - 15) / 15).toBeLessThanOrEqual(0.1); // 1 GPU × 15 s
  });

  it('re-running the meter over the same windows changes nothing', async () => {
    const rows = () => bench.db.selectFrom('ledger_entries').selectAll().orderBy('id').execute();
    const disc = () => bench.db.selectFrom('metering_discrepancies').selectAll().orderBy('id').execute();
    const [beforeRows, beforeDisc] = [await rows(), await disc()];
    expect(beforeRows.length).toBeGreaterThan(0);
    const again = await bench.meter(PROMETHEUS_URL).meterRange(from, to, { force: true });
    expect(again.errors).toEqual([]);
    expect(again.windowsMeasured).toBe(2 * ((to - from) / STEP_MS));
    expect([again.rowsInserted, again.reversals, again.estimateRows, again.discrepancies]).toEqual([0, 0, 0, 0]);
    expect(await rows()).toEqual(beforeRows);
    expect(await disc()).toEqual(beforeDisc);
    // Without force the windows are known to be measured and are not even queried.
    const skipped = await bench.meter(PROMETHEUS_URL).meterRange(from, to);
    expect(skipped.windowsMeasured).toBe(0);
  });
});
