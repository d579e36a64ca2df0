/** The dcgm-exporter-shaped metrics of sim clusters: exact series, both label styles, and the HTTP exporter. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubmitRequest } from '../../../src/adapters/port.js';
import { ManualClock } from '../../../src/adapters/sim/clock.js';
import { simGpuUuid } from '../../../src/adapters/sim/dcgm-metrics.js';
import { PROMETHEUS_TEXT_CONTENT_TYPE, startDcgmExporter, type DcgmExporter } from '../../../src/adapters/sim/dcgm-exporter-server.js';
import { SimClusterAdapter } from '../../../src/adapters/sim/sim-cluster.js';

/** One parsed series line. */
interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A small parser of the exposition format: enough to check shapes and values, strict on anything else. */
function parse(text: string): { help: Map<string, string>; types: Map<string, string>; series: Series[] } {
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  const series: Series[] = [];
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : types).set(meta[2]!, meta[3]!);
      continue;
    }
    const m = /^(\w+)\{((?:\w+="(?:[^"\\]|\\.)*",?)*)\} (-?\d+(?:\.\d+)?)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    series.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { help, types, series };
}

const H100 = { name: 'h100', gpuType: 'h100-80gb', nodes: 2, gpusPerNode: 2 };

function submitReq(jobId: string, nodeNames: string[], gpuUtilPct?: number): SubmitRequest {
  return {
    idempotencyKey: `k-${jobId}`,
    jobId,
    institutionId: 'nust',
    projectId: 'p',
    userId: 'u',
    poolName: 'h100',
    nodeNames,
    spec: { name: 'train', projectId: 'p', gpuTypes: ['h100-80gb'], nodes: nodeNames.length, gpusPerNode: 1, cpusPerNode: 4, memoryGbPerNode: 32, walltimeSeconds: 3600, qos: 'normal', sim: { durationSeconds: 600, ...(gpuUtilPct === undefined ? {} : { gpuUtilPct }) } },
  };
}

describe('dcgm metrics of a sim cluster', () => {
  it('renders HELP/TYPE as dcgm-exporter does, one series per GPU, job labels only on held GPUs', async () => {
    const sim = new SimClusterAdapter({ clusterId: 'c1', pools: [H100], clock: new ManualClock() });
    await sim.submit(submitReq('job-42', ['c1-h100-n002'], 60));
    const { help, types, series } = parse(sim.renderDcgmMetrics());
    expect(help.get('DCGM_FI_DEV_GPU_UTIL')).toBe('GPU utilization (in %).');
    expect(help.get('DCGM_FI_DEV_FB_USED')).toBe('Framebuffer memory used (in MiB).');
    expect(types.get('DCGM_FI_DEV_GPU_UTIL')).toBe('gauge');
    expect(types.get('DCGM_FI_DEV_FB_USED')).toBe('gauge');
    const util = series.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL');
    expect(util.map((s) => [s.labels['Hostname'], s.labels['gpu'], s.value, s.labels['hpc_job']])).toEqual([
      ['c1-h100-n001', '0', 0, undefined],
      ['c1-h100-n001', '1', 0, undefined],
      ['c1-h100-n002', '0', 60, 'job-42'],
      ['c1-h100-n002', '1', 0, undefined],
    ]);
    expect(util[2]!.labels).toEqual({ gpu: '0', UUID: simGpuUuid('c1', 'c1-h100-n002', 0), device: 'nvidia0', modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'c1-h100-n002', hpc_job: 'job-42' });
    expect(util[2]!.labels['UUID']).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const fbUsed = series.filter((s) => s.name === 'DCGM_FI_DEV_FB_USED').map((s) => s.value);
    // 81559 MiB × (0.2 + 0.7 × 0.60) = 50566.58 → 50567 MiB on the busy GPU, 0 elsewhere.
    expect(fbUsed).toEqual([0, 0, 50567, 0]);
    await sim.close();
  });

  it('kubernetes label style names pod (job id and rank), namespace and container; the default util is 85 %', async () => {
    const sim = new SimClusterAdapter({ clusterId: 'k1', pools: [H100], clock: new ManualClock(), jobLabelStyle: 'kubernetes', namespace: 'ncg-jobs' });
    await sim.submit(submitReq('job-7', ['k1-h100-n001', 'k1-h100-n002']));
    const busy = parse(sim.renderDcgmMetrics()).series.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL' && s.value > 0);
    expect(busy.map((s) => [s.labels['Hostname'], s.value, s.labels['pod'], s.labels['namespace'], s.labels['container'], s.labels['hpc_job']])).toEqual([
      ['k1-h100-n001', 85, 'job-7-0', 'ncg-jobs', 'main', undefined],
      ['k1-h100-n002', 85, 'job-7-1', 'ncg-jobs', 'main', undefined],
    ]);
    await sim.close();
  });
});

describe('dcgm exporter HTTP server', () => {
  let exporter: DcgmExporter;
  let a: SimClusterAdapter;
  let b: SimClusterAdapter;

  beforeEach(async () => {
    const clock = new ManualClock();
    a = new SimClusterAdapter({ clusterId: 'a', pools: [H100], clock });
    b = new SimClusterAdapter({ clusterId: 'b', pools: [{ ...H100, nodes: 1 }], clock });
    exporter = await startDcgmExporter({ clusters: new Map([['a', a], ['b', b]]) });
  });
  afterEach(async () => {
    await exporter.close();
    await a.close();
    await b.close();
  });

  it('serves /metrics/<clusterId> for one cluster and /metrics for all, as Prometheus text', async () => {
    await a.submit(submitReq('j1', ['a-h100-n001']));
    const one = await fetch(`${exporter.url}/metrics/a`);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
    const text = await one.text();
    expect(text).toBe(a.renderDcgmMetrics());
    expect(parse(text).series.filter((s) => s.labels['hpc_job'] === 'j1')).toHaveLength(3);
    const all = parse(await (await fetch(`${exporter.url}/metrics`)).text());
    const hosts = new Set(all.series.map((s) => s.labels['Hostname']));
    expect([...hosts]).toEqual(['a-h100-n001', 'a-h100-n002', 'b-h100-n001']);
    expect(all.series).toHaveLength(3 * 6);
  });

  it('answers 404 with an index for unknown paths and 405 for other methods', async () => {
    const missing = await fetch(`${exporter.url}/metrics/zzz`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/metrics/b');
    const post = await fetch(`${exporter.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
