/**
 * The dashboard's recent-use series spreads each ledger row over the buckets its window overlaps, so a
 * bucket never shows more GPU-seconds than were used in it (a long row once landed whole in the bucket of
 * its start and drew a 226 % utilisation spike).
 */
import { beforeAll, expect, it } from 'vitest';
import { usageSeries } from '../../../src/store/repositories/kpi-live.js';
import { writePastJobs, type PastJob } from '../../../src/store/repositories/past-jobs.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const MIN = 60_000;
const t0 = Date.UTC(2026, 10, 1, 12, 0);

function job(id: string, start: number, end: number, gpus: number): PastJob {
  return {
    id, institutionId: 'inst-00', projectId: 'inst-00-p1', userId: 'inst-00-r1', name: id, gpuTypes: ['any'], nodes: 1, gpusPerNode: gpus,
    walltimeSeconds: 86_400, submittedAt: start, startedAt: start, endedAt: end, clusterId: 'isb-k8s', poolId: 'isb-k8s-h100', gpuType: 'H100-80GB', state: 'succeeded', exitCode: 0,
  };
}

describeEachStore('usage series', (getDb) => {
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture(1), t0 - 86_400_000);
    // One hour on 8 GPUs starting at 12:05, and 5 minutes on 2 GPUs at 12:20.
    const a = job('j-a', t0 + 5 * MIN, t0 + 65 * MIN, 8);
    const b = job('j-b', t0 + 20 * MIN, t0 + 25 * MIN, 2);
    await writePastJobs(getDb(), [a, b], [
      { jobId: 'j-a', windowStart: a.startedAt, windowEnd: a.endedAt, gpuSeconds: 3600 * 8 },
      { jobId: 'j-b', windowStart: b.startedAt, windowEnd: b.endedAt, gpuSeconds: 300 * 2 },
    ], t0 - 86_400_000);
  });

  it('spreads a row over the buckets it overlaps, in proportion', async () => {
    const series = await usageSeries(getDb(), t0, t0 + 90 * MIN, 10 * MIN, 'none');
    const at = (m: number) => series.find((p) => p.t === t0 + m * MIN)?.gpuSeconds;
    expect(series.map((p) => (p.t - t0) / MIN)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(at(0)).toBeCloseTo(5 * 60 * 8, 6); // 12:05–12:10
    expect(at(10)).toBeCloseTo(10 * 60 * 8, 6);
    expect(at(20)).toBeCloseTo(10 * 60 * 8 + 300 * 2, 6);
    expect(at(60)).toBeCloseTo(5 * 60 * 8, 6); // 13:00–13:05
    expect(series.reduce((s, p) => s + p.gpuSeconds, 0)).toBeCloseTo(3600 * 8 + 600, 6);
    // No bucket ever holds more than its 10 minutes could: 8 + 2 GPUs × 600 s at most.
    for (const p of series) expect(p.gpuSeconds).toBeLessThanOrEqual(600 * 10 + 1e-6);
  });

  it('counts only the part inside the asked range, by project too', async () => {
    const series = await usageSeries(getDb(), t0 + 30 * MIN, t0 + 40 * MIN, 10 * MIN, 'project', 'inst-00');
    expect(series).toEqual([{ t: t0 + 30 * MIN, key: 'inst-00-p1', gpuSeconds: expect.closeTo(600 * 8, 6) }]);
    expect(await usageSeries(getDb(), t0 + 30 * MIN, t0 + 40 * MIN, 10 * MIN, 'none', 'inst-01')).toEqual([]);
  });
});
