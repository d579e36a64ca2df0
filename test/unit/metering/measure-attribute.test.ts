/** Folding query results into windows (coverage decides completeness), and attribution to jobs. */
import { describe, expect, it } from 'vitest';
import { attribute, refsOf } from '../../../src/metering/attribute.js';
import { SLURM_PROFILE } from '../../../src/metering/default-queries.js';
import { measureSpan, refOf } from '../../../src/metering/measure.js';
import { PrometheusClient } from '../../../src/metering/prometheus-client.js';
import { templateValues } from '../../../src/metering/templates.js';
import type { MeteredJob } from '../../../src/store/repositories/metering-jobs.js';

const MIN = 60_000;
const span = [0, 1, 2].map((i) => ({ start: (10 + i) * MIN, end: (11 + i) * MIN }));

/** A client whose fetch answers each query kind with canned series. */
function cannedClient(byKind: Record<'usage' | 'util' | 'coverage', unknown[]>): PrometheusClient {
  const fetchFn = (async (_url: string, init: { body: string }) => {
    const q = new URLSearchParams(init.body).get('query')!;
    const kind = q.includes('count_over_time') ? 'coverage' : q.includes('avg_over_time') ? 'util' : 'usage';
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: byKind[kind] } }), { status: 200 });
  }) as unknown as typeof fetch;
  return new PrometheusClient({ url: 'http://prom', fetch: fetchFn, retries: 0 });
}

const target = (client: PrometheusClient) => ({
  clusterId: 'c1', client, profile: SLURM_PROFILE,
  values: templateValues({ clusterLabel: 'ncg_cluster', clusterValue: 'c1', jobLabel: 'hpc_job', stepSeconds: 60, resolutionSeconds: 15, freshnessSeconds: 30 }),
});

describe('measureSpan', () => {
  it('is complete only where every target covers every point, and sums usage per job reference', async () => {
    const client = cannedClient({
      usage: [{ metric: { hpc_job: 'j1' }, values: [[660, '120'], [720, '119.6']] }, { metric: { hpc_job: '' , namespace: 'ns', pod: 'p' }, values: [[780, '15']] }],
      util: [{ metric: { hpc_job: 'j1' }, values: [[660, '0.8'], [720, '1.7']] }],
      // Two targets: the second misses one point in the second window, and is absent from the third.
      coverage: [{ metric: { instance: 'a' }, values: [[660, '4'], [720, '4'], [780, '4']] }, { metric: { instance: 'b' }, values: [[660, '4'], [720, '3']] }],
    });
    const m = await measureSpan(target(client), span, { stepSeconds: 60, resolutionSeconds: 15 });
    expect(m.map((w) => [w.window.start / MIN, w.complete])).toEqual([[10, true], [11, false], [12, false]]);
    expect(m[0]!.usage).toEqual(new Map([['j1', 120]]));
    expect(m[1]!.usage).toEqual(new Map([['j1', 120]]));
    expect(m[1]!.efficiency.get('j1')).toBe(1);
    expect(m[2]!.usage).toEqual(new Map([['ns/p', 15]]));
  });

  it('is incomplete when no target reports at all', async () => {
    const m = await measureSpan(target(cannedClient({ usage: [], util: [], coverage: [] })), span, { stepSeconds: 60, resolutionSeconds: 15 });
    expect(m.every((w) => !w.complete)).toBe(true);
  });

  it('names a series by its job label, else namespace/pod, else its labels', () => {
    expect(refOf({ hpc_job: '17' }, 'hpc_job')).toBe('17');
    expect(refOf({ namespace: 'n', pod: 'p' }, 'hpc_job')).toBe('n/p');
    expect(refOf({ __name__: 'x', b: '2', a: '1' }, 'hpc_job')).toBe('a=1,b=2');
  });
});

describe('attribute', () => {
  const job = (id: string, extra: Partial<MeteredJob> = {}): MeteredJob => ({ id, institutionId: 'i', projectId: 'p', userId: 'u', gpuType: 'H100-80GB', state: 'running', gpus: 2, ...extra });
  const w = (start: number, usage: [string, number][], complete = true, eff: [string, number][] = []) => ({ window: { start, end: start + MIN }, complete, usage: new Map(usage), efficiency: new Map(eff) });

  it('charges known jobs, merges two references to one job, skips incomplete windows, flags unknown and ended', () => {
    const jobs = new Map([['j1', job('j1')], ['4242', job('j1')], ['j2', job('j2', { state: 'succeeded', endedAt: 0 })]]);
    const ms = [w(0, [['j1', 60], ['4242', 30], ['j2', 10]], true, [['j1', 0.5], ['4242', 1]]), w(MIN, [['j1', 120], ['x', 5]], false), w(2 * MIN, [['x', 7], ['j2', 0]])];
    expect(refsOf(ms).sort()).toEqual(['4242', 'j1', 'j2', 'x']);
    const a = attribute('c1', ms, jobs, 60_000);
    expect(a.rows.map((r) => [r.jobId, r.windowStart, r.gpuSeconds, r.efficiency])).toEqual([['j1', 0, 90, (60 * 0.5 + 30) / 90], ['j2', 0, 10, undefined]]);
    // j2 ended at 0: use in the window starting at 0 is within the grace; nothing after it but a zero.
    expect(a.discrepancies).toEqual([{ clusterId: 'c1', windowStart: 2 * MIN, windowEnd: 3 * MIN, kind: 'unknown-job', ref: 'x', gpuSeconds: 7 }]);
    const late = attribute('c1', [w(MIN, [['j2', 10]])], jobs, 60_000);
    expect(late.rows).toHaveLength(1);
    expect(late.discrepancies).toEqual([{ clusterId: 'c1', windowStart: MIN, windowEnd: 2 * MIN, kind: 'ended-job', ref: 'j2', jobId: 'j2', gpuSeconds: 10 }]);
  });
});
