/**
 * The two real-time metering scenarios of issue 7, as setup functions, so one test file can run them at
 * the same time (about 45 s of real time for both instead of one after the other):
 *   live    jobs on sim clusters scraped every second by the shared Prometheus;
 *   outage  the same, scraped by a private Prometheus that is stopped mid-run and started again, with a
 *           metering pass while it is down.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignDown, type MeterReport } from '../../src/metering/index.js';
import { insertJobs } from './metering-grid.js';
import { LIVE_STEP_SECONDS, LiveMeteringBench, sleep } from './metering-live.js';
import { DCGM_TARGETS_DIR, PROMETHEUS_URL, freePort, PrivatePrometheus, simTargets, waitForTargetsUp, writeTargetFile } from './prometheus.js';

const STEP_MS = LIVE_STEP_SECONDS * 1000;

/** What a scenario leaves for its tests: the bench, the metered range, and how to stop it all. */
export interface Scenario {
  bench: LiveMeteringBench;
  prometheusUrl: string;
  from: number;
  to: number;
  close(): Promise<void>;
}

/** The outage scenario also keeps the report of the pass made while Prometheus was down. */
export interface OutageScenario extends Scenario {
  duringOutage: MeterReport;
}

/**
 * Live: a (2 GPUs, 24 s), b (Kubernetes, 2×3 GPUs, 30 s), c (4 GPUs, 18 s, from +6 s); d runs without ncg
 * knowing it; e holds a GPU though ncg recorded it as ended two minutes ago.
 */
export async function liveScenario(): Promise<Scenario> {
  const bench = await LiveMeteringBench.open();
  const { slurm, k8s } = bench.grid;
  const removeTargets = writeTargetFile(DCGM_TARGETS_DIR, bench.grid.tag, simTargets(bench.exporter.port, [slurm, k8s]));
  const close = async () => {
    removeTargets();
    await bench.close();
  };
  try {
    await waitForTargetsUp(PROMETHEUS_URL, [slurm, k8s]);
    // One full window of scrapes before the first job, so the first metered window is complete.
    await sleep(STEP_MS);
    const from = alignDown(Date.now(), STEP_MS);
    await bench.start({ id: 'j-live-a', clusterId: slurm, nodes: 1, gpusPerNode: 2, seconds: 24, utilPct: 70 });
    await bench.start({ id: 'j-live-b', clusterId: k8s, nodes: 2, gpusPerNode: 3, seconds: 30, utilPct: 90 });
    await bench.start({ id: 'j-live-d', clusterId: slurm, nodes: 1, gpusPerNode: 2, seconds: 12, known: false });
    await bench.start({ id: 'j-live-e', clusterId: k8s, nodes: 1, gpusPerNode: 1, seconds: 15, known: false });
    const k8sPool = bench.grid.seed.pools.find((p) => p.clusterId === k8s)!;
    await insertJobs(bench.db, bench.grid, [{ id: 'j-live-e', clusterId: k8s, poolId: k8sPool.id, gpuType: k8sPool.gpuType, nodes: 1, gpusPerNode: 1, startedAt: Date.now() - 300_000, endedAt: Date.now() - 120_000 }]);
    await sleep(6_000);
    await bench.start({ id: 'j-live-c', clusterId: slurm, nodes: 1, gpusPerNode: 4, seconds: 18, nodeOffset: 1, utilPct: 50 });
    const to = await bench.waitForAllEnded(STEP_MS);
    return { bench, prometheusUrl: PROMETHEUS_URL, from, to, close };
  } catch (e) {
    await close();
    throw e;
  }
}

function scrapeConfig(exporterPort: number, clusterIds: readonly string[]): string {
  const targets = clusterIds.map((id) => `      - targets: ['127.0.0.1:${exporterPort}']\n        labels: { __metrics_path__: '/metrics/${id}', ncg_cluster: '${id}' }`).join('\n');
  return `global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: dcgm\n    static_configs:\n${targets}\n`;
}

/**
 * Outage: a (2 GPUs, 34 s), b (Kubernetes, 2×2 GPUs, 34 s), c (4 GPUs, 24 s: it ends while Prometheus is
 * down). Prometheus stops at +12 s; a metering pass runs at +15 s; it starts again at +20 s (first scrape
 * about 5 s later).
 */
export async function outageScenario(): Promise<OutageScenario> {
  const bench = await LiveMeteringBench.open();
  const { slurm, k8s } = bench.grid;
  const prom = new PrivatePrometheus(mkdtempSync(join(tmpdir(), 'ncg-prom-outage-')), await freePort(), scrapeConfig(bench.exporter.port, [slurm, k8s]));
  const close = async () => {
    await prom.destroy();
    await bench.close();
  };
  try {
    await prom.start();
    await waitForTargetsUp(prom.url, [slurm, k8s]);
    await sleep(STEP_MS);
    const from = alignDown(Date.now(), STEP_MS);
    await bench.start({ id: 'j-out-a', clusterId: slurm, nodes: 1, gpusPerNode: 2, seconds: 34 });
    await bench.start({ id: 'j-out-b', clusterId: k8s, nodes: 2, gpusPerNode: 2, seconds: 34 });
    await bench.start({ id: 'j-out-c', clusterId: slurm, nodes: 1, gpusPerNode: 4, seconds: 24, nodeOffset: 1 });
    await sleep(12_000);
    await prom.stop();
    await sleep(3_000);
    // Nothing was metered before the stop: every window so far is metered now, with Prometheus down.
    const duringOutage = await bench.meter(prom.url).meterRange(from, alignDown(Date.now() - 2_000, STEP_MS));
    await sleep(5_000);
    await prom.start();
    const to = await bench.waitForAllEnded(STEP_MS);
    return { bench, prometheusUrl: prom.url, from, to, duringOutage, close };
  } catch (e) {
    await close();
    throw e;
  }
}
