/** kube-state-metrics from the sim's Kubernetes-style jobs, and fair-share deltas of metering corrections. */
import { describe, expect, it } from 'vitest';
import { ManualClock, SimClusterAdapter } from '../../../src/adapters/sim/index.js';
import { renderKubeStateMetrics } from '../../../src/adapters/sim/kube-state-metrics.js';
import { decayedDeltas } from '../../../src/metering/usage-deltas.js';

const pool = { id: 'k-h100', clusterId: 'k', name: 'h100', gpuType: 'H100-80GB', nodes: 2, gpusPerNode: 4, gpuMemoryGb: 80, bf16Tflops: 989.4 };
const spec = { name: 'x', projectId: 'p', gpuTypes: ['any'], nodes: 2, gpusPerNode: 3, cpusPerNode: 1, memoryGbPerNode: 1, walltimeSeconds: 100, qos: 'normal' as const, sim: { durationSeconds: 10 } };

describe('sim kube-state-metrics', () => {
  it('renders one pod per node of a running job: its GPU requests, Running phase and ncg.io/job-id label', async () => {
    const clock = new ManualClock();
    const sim = new SimClusterAdapter({ clusterId: 'k', pools: [pool], clock, jobLabelStyle: 'kubernetes' });
    expect(renderKubeStateMetrics(sim.gpuSamples())).toBe('');
    await sim.submit({ idempotencyKey: 'k1', jobId: 'j-7', institutionId: 'i', projectId: 'p', userId: 'u', spec, poolName: 'h100', nodeNames: sim.nodeNames() });
    const text = renderKubeStateMetrics(sim.gpuSamples());
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.filter((l) => l.startsWith('kube_pod_container_resource_requests')).map((l) => /pod="([^"]+)".*node="([^"]+)".*\} (\d+)$/.exec(l)!.slice(1))).toEqual([
      ['j-7-0', 'k-h100-n001', '3'],
      ['j-7-1', 'k-h100-n002', '3'],
    ]);
    expect(lines.filter((l) => l.includes('phase="Running"') && l.endsWith(' 1'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('kube_pod_status_phase') && l.endsWith(' 1'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('kube_pod_labels')).every((l) => l.includes('label_ncg_io_job_id="j-7"'))).toBe(true);
    expect(text.match(/^# TYPE /gm)).toHaveLength(3);
    clock.advance(10_000);
    expect(renderKubeStateMetrics(sim.gpuSamples())).toBe('');
    await sim.close();
  });
});

describe('decayedDeltas', () => {
  it('moves every account of the job by measured minus reversed, decayed from the window end', () => {
    const row = { jobId: 'j', clusterId: 'c', institutionId: 'i', projectId: 'p', userId: 'u', gpuType: 'g' };
    const d = decayedDeltas([{ ...row, windowEnd: 0, gpuSeconds: 100 }, { ...row, windowEnd: 0, gpuSeconds: -60 }, { ...row, windowEnd: 3_600_000, gpuSeconds: 10 }], 3_600_000, 3_600);
    expect([...d.keys()].sort()).toEqual(['i', 'national', 'p', 'p/u']);
    expect(d.get('i')).toBeCloseTo(40 / 2 + 10, 9);
  });
});
