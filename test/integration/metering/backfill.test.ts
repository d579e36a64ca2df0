/**
 * Issue 7, test (2) (and (4)): 30 minutes of deterministic dcgm-exporter and kube-state-metrics history are
 * back-filled with `promtool tsdb create-blocks-from openmetrics` into a private Prometheus before it
 * starts, and metered with the default geometry (60 s windows, 15 s resolution) exactly: per job and per
 * window, including a Slurm job found by its backend id, GPU use of an unknown job and of an unlabelled
 * pod (discrepancies, not charged), use after a job's recorded end (charged and flagged), control-loop
 * estimates superseded to the GPU-second, and a scrape gap whose windows keep their estimates.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordUsage } from '../../../src/control/usage-recorder.js';
import { Meter, meteringConfigSchema } from '../../../src/metering/index.js';
import { storeClusters } from '../../../src/metering/start.js';
import { writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import { listDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { ledgerTotalsOfJobs } from '../../../src/store/repositories/metering-ledger.js';
import { pendingWindows } from '../../../src/store/repositories/metering-windows.js';
import { expectedByWindow, historySeries, renderOpenMetrics, total, type HistJob } from '../../helpers/backfill-history.js';
import { insertJobs, meteringGrid } from '../../helpers/metering-grid.js';
import { openPreferredTestDb } from '../../helpers/metering-live.js';
import { backfillOpenMetrics, freePort, PrivatePrometheus, prometheusGate } from '../../helpers/prometheus.js';

const gate = await prometheusGate();
const grid = meteringGrid();
const T0 = Math.floor((Date.now() - 45 * 60_000) / 60_000) * 60_000; // history: [T0, T0 + 30 min]
const at = (s: number) => T0 + s * 1000;
const n = (host: string, ...gpus: number[]) => gpus.map((gpu) => ({ host, gpu }));

const JOBS: HistJob[] = [
  { ref: 'j-h1', cluster: 'slurm', gpus: n('slurm-n1', 0, 1), from: 120, to: 600, utilPct: 80 },
  { ref: '4242', cluster: 'slurm', gpus: n('slurm-n1', 2), from: 300, to: 900, utilPct: 90, profActive: 0.55 },
  { ref: '9999', cluster: 'slurm', gpus: n('slurm-n2', 0), from: 60, to: 240, utilPct: 40 },
  { ref: 'j-h3', cluster: 'slurm', gpus: n('slurm-n2', 1, 2), from: 240, to: 720, utilPct: 60 },
  { ref: 'j-k1', cluster: 'k8s', gpus: n('k8s-n1', 0, 1), from: 180, to: 780, utilPct: 70, pod: 'j-k1-0' },
  { ref: 'j-k1', cluster: 'k8s', gpus: n('k8s-n2', 0, 1), from: 180, to: 780, utilPct: 70, pod: 'j-k1-1' },
  { ref: '', cluster: 'k8s', gpus: n('k8s-n1', 3), from: 60, to: 300, utilPct: 20, pod: 'stray-0' },
  { ref: 'j-k2', cluster: 'k8s', gpus: n('k8s-n2', 2, 3), from: 1380, to: 1620, utilPct: 50, pod: 'j-k2-0' },
];
// The Kubernetes cluster was not scraped for a minute: windows ending at +1500 s and +1560 s are incomplete.
const gap = (s: number) => s >= 1500 && s < 1560;
const gapWindow = (end: number) => end === 1500 || end === 1560;
const job = (ref: string, pod?: string) => JOBS.find((j) => j.ref === ref && (pod === undefined || j.pod === pod))!;

describe.runIf(gate.available)('metering back-filled history exactly (promtool tsdb create-blocks-from openmetrics)', () => {
  let prom: PrivatePrometheus;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncg-prom-backfill-'));
    prom = new PrivatePrometheus(dir, await freePort(), 'global: { scrape_interval: 15s }\nscrape_configs: []\n');
    const om = join(dir, 'history.om');
    writeFileSync(om, renderOpenMetrics(historySeries(grid, JOBS, gap), T0 / 1000));
    await backfillOpenMetrics(om, join(dir, 'data'));
    await prom.start();
  }, 60_000);

  afterAll(async () => {
    await prom?.destroy();
  });

  describe('ledger', () => {
    let opened: OpenedDatabase | undefined;
    const getDb = () => opened!.db;
    let meter: Meter;
    const range = [at(0), at(1800)] as const;

    beforeAll(async () => {
      opened = await openPreferredTestDb();
      const db = getDb();
      await writeGridSeed(db, grid.seed);
      const pool = (c: string) => grid.seed.pools.find((p) => p.clusterId === c)!;
      const row = (id: string, c: string, gpus: number, from: number, to: number, externalId?: string) =>
        ({ id, clusterId: c, poolId: pool(c).id, gpuType: pool(c).gpuType, nodes: 1, gpusPerNode: gpus, startedAt: at(from), endedAt: at(to), ...(externalId ? { externalId } : {}) });
      await insertJobs(db, grid, [
        row('j-h1', grid.slurm, 2, 120, 600), row('j-h2', grid.slurm, 1, 300, 900, '4242'), row('j-h3', grid.slurm, 2, 240, 300),
        { ...row('j-k1', grid.k8s, 2, 180, 780), nodes: 2 }, row('j-k2', grid.k8s, 2, 1380, 1620),
      ]);
      // The control loop's estimates for j-h1, in two windows that match no metering window.
      const claim = (end: number) => ({ jobId: 'j-h1', institutionId: grid.institution, projectId: grid.project, userId: grid.user, clusterId: grid.slurm, gpuType: 'A100-40GB', gpus: 2, startedAt: at(120), end: at(end), minWindowMs: 0 });
      await recordUsage(db, [claim(370)], at(370), 604_800);
      await recordUsage(db, [claim(600)], at(600), 604_800);
      const config = meteringConfigSchema.parse({ prometheus: { url: prom.url, retries: 0 }, freshnessSeconds: 15 });
      meter = new Meter({ db, config, clusters: storeClusters(db), halfLifeSeconds: 604_800 });
    }, 60_000);

    afterAll(async () => {
      await opened?.close();
    });

    it('meters every job exactly, per window, measured rows superseding estimates', async () => {
      const report = await meter.meterRange(...range);
      expect(report.errors).toEqual([]);
      expect(report.windowsMeasured).toBe(2 * 30 - 2);
      expect(report.windowsPending).toBe(2);
      const rows = await getDb().selectFrom('ledger_entries').selectAll().where('source', '=', 'prometheus').execute();
      const perWindow = (jobId: string) => new Map(rows.filter((r) => r.job_id === jobId).map((r) => [(r.window_end.getTime() - T0) / 1000, r.gpu_seconds]));
      expect(perWindow('j-h1')).toEqual(expectedByWindow(job('j-h1')));
      expect(perWindow('j-h2')).toEqual(expectedByWindow(job('4242')));
      expect(perWindow('j-h3')).toEqual(expectedByWindow(job('j-h3')));
      const k1 = expectedByWindow({ ...job('j-k1', 'j-k1-0'), gpus: [...job('j-k1', 'j-k1-0').gpus, ...job('j-k1', 'j-k1-1').gpus] });
      expect(perWindow('j-k1')).toEqual(k1);
      expect(perWindow('j-k2')).toEqual(expectedByWindow(job('j-k2'), gapWindow));
      const totals = await ledgerTotalsOfJobs(getDb(), ['j-h1', 'j-h2', 'j-h3', 'j-k1', 'j-k2']);
      expect(totals.get('j-h1')).toEqual({ measured: 960, estimated: 960, reversed: -960, net: 960 });
      expect(totals.get('j-h2')!.net).toBe(600);
      expect(totals.get('j-h3')!.net).toBe(960);
      expect(totals.get('j-k1')!.net).toBe(2400);
      // j-k2: estimated from its start up to the end of the gap (2 GPUs × 180 s), that estimate's first minute
      // taken back where measured; measured outside the gap: 240 + 360 − 120 = 480 = 2 GPUs × 240 s.
      expect(totals.get('j-k2')).toEqual({ measured: 240, estimated: 360, reversed: -120, net: 480 });
    });

    it('takes efficiency from GR_ENGINE_ACTIVE where present, else GPU_UTIL', async () => {
      const eff = await getDb().selectFrom('ledger_entries').select(['job_id', 'efficiency']).where('source', '=', 'prometheus').execute();
      const of = (id: string) => new Set(eff.filter((r) => r.job_id === id).map((r) => r.efficiency!.toFixed(6)));
      expect(of('j-h1')).toEqual(new Set(['0.800000']));
      expect(of('j-h2')).toEqual(new Set(['0.550000']));
      expect(of('j-k1')).toEqual(new Set(['0.700000']));
    });

    it('records unknown GPU use (a Slurm job id, an unlabelled pod) and use after a recorded end', async () => {
      const { items } = await listDiscrepancies(getDb(), {}, { limit: 500 });
      const sum = (kind: string, ref: string) => items.filter((d) => d.kind === kind && d.ref === ref).reduce((s, d) => s + d.gpuSeconds, 0);
      expect(sum('unknown-job', '9999')).toBe(total(expectedByWindow(job('9999'))));
      expect(sum('unknown-job', 'ncg/stray-0')).toBe(total(expectedByWindow(job('', 'stray-0'))));
      // j-h3 ended at +300 s in the store: windows starting 60 s after that or later are flagged.
      expect(sum('ended-job', 'j-h3')).toBe(total(expectedByWindow(job('j-h3'), (end) => end - 60 < 360)));
      expect(new Set(items.map((d) => d.kind + ':' + d.ref))).toEqual(new Set(['unknown-job:9999', 'unknown-job:ncg/stray-0', 'ended-job:j-h3']));
    });

    it('leaves the gap windows pending with their estimates', async () => {
      const pending = await pendingWindows(getDb());
      expect(pending.map((w) => [w.clusterId, (w.start - T0) / 1000])).toEqual([[grid.k8s, 1440], [grid.k8s, 1500]]);
    });

    it('a re-run over the same windows changes nothing', async () => {
      const snapshot = async () => [await getDb().selectFrom('ledger_entries').selectAll().orderBy('id').execute(), await getDb().selectFrom('metering_discrepancies').selectAll().orderBy('id').execute()];
      const before = await snapshot();
      const again = await meter.meterRange(...range, { force: true });
      expect([again.rowsInserted, again.reversals, again.estimateRows, again.discrepancies, again.errors.length]).toEqual([0, 0, 0, 0, 0]);
      expect(await snapshot()).toEqual(before);
    });
  });
});
