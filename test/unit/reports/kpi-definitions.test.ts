/** KPI definitions against the hand-computed fixture (kpi-fixture.ts): every number worked out on paper. */
import { describe, expect, it } from 'vitest';
import { computeKpis, kpiReport, waitBucket, sizeClassOf, weightedPercentile } from '../../../src/reports/kpi/index.js';
import { kpiFixture } from './kpi-fixture.js';

describe('national KPIs of 2026-11', () => {
  const r = kpiReport(kpiFixture(), 'national');

  it('capacity: 16 GPUs, 13.116 PFLOPS, 9,960 GPU-hours available', () => {
    // p1 8 × (720 − 10 down) = 5,680; p2 4 × 710 = 2,840; p3 4 × 360 (registered on the 16th) = 1,440.
    expect(r.national.capacity).toEqual({ gpus: 16, gpusByType: { 'a100-40gb': 4, 'h100-80gb': 12 }, bf16Pflops: 13.116, gpuHoursAvailable: 9_960 });
  });

  it('delivered 16.5 GPU-hours; utilisation 16.5 / 9,960; efficiency 28,800 / 50,400 over 84.85 % coverage', () => {
    expect(r.national.gpuHoursDelivered).toBe(16.5);
    expect(r.national.utilisation).toBe(0.0017);
    expect(r.national.efficiency).toBe(0.5714);
    expect(r.national.efficiencyCoverage).toBe(0.8485);
  });

  it('waits: 5 jobs, mean 804 s, p50 60 s, p90 3,600 s; by size class', () => {
    expect(r.national.waits).toEqual({
      jobs: 5, meanSeconds: 804, p50Seconds: 60, p90Seconds: 3_600,
      bySize: {
        '1': { jobs: 1, meanSeconds: 0, p50Seconds: 0, p90Seconds: 0 },
        '2-4': { jobs: 1, meanSeconds: 3_600, p50Seconds: 3_600, p90Seconds: 3_600 },
        '5-8': { jobs: 3, meanSeconds: 140, p50Seconds: 60, p90Seconds: 300 },
        '9-32': { jobs: 0, meanSeconds: null, p50Seconds: null, p90Seconds: null },
        '33+': { jobs: 0, meanSeconds: null, p50Seconds: null, p90Seconds: null },
      },
    });
  });

  it('jobs by final state, active users and projects (a net-zero user is not active)', () => {
    expect(r.national.jobsByState).toEqual({ succeeded: 4, failed: 1, cancelled: 2 });
    expect(r.national.activeUsers).toBe(4);
    expect(r.national.activeProjects).toBe(4);
  });

  it('institutions served: i1 and i2 (i3 had 0.5 GPU-hours), against targets 2 and 3', () => {
    expect(r.institutionsServed).toEqual({
      served: 2, registered: 3, ids: ['i1', 'i2'],
      targets: [{ target: 2, met: true, progress: 1 }, { target: 3, met: false, progress: 0.6667 }],
    });
    expect(r.national.institutionsServed).toBe(2);
  });

  it('consolidation: 2 clusters federated, 16 of 32 GPUs and 13.116 of 15.116 PFLOPS managed', () => {
    expect(r.consolidation).toEqual({
      clustersFederated: 2, clustersByKind: { sim: 1, slurm: 1 }, managedGpus: 16, managedPflops: 13.116,
      registeredNationalGpus: 32, registeredNationalPflops: 15.116, managedShareGpus: 0.5, managedSharePflops: 0.8677, unmanagedSystems: ['legacy-v100'],
    });
  });

  it('allocation pipeline: institution awards overlapping November; i2 exhausted', () => {
    expect(r.allocations).toEqual({
      awardedGpuHours: 24, usedGpuHours: 16, exhaustedInstitutions: ['i2'],
      institutions: [
        { institutionId: 'i1', awardedGpuHours: 20, usedGpuHours: 12, remainingGpuHours: 8, usedShare: 0.6, exhausted: false },
        { institutionId: 'i2', awardedGpuHours: 4, usedGpuHours: 4, remainingGpuHours: 0, usedShare: 1, exhausted: true },
      ],
    });
  });

  it('names the period and the clock', () => {
    expect(r.period).toEqual({ name: '2026-11', kind: 'month', start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    expect(r.asOf).toBe('2026-12-15T00:00:00.000Z');
  });
});

describe('grouped KPIs', () => {
  it('by site: Islamabad and Lahore, each with its own capacity, use and waits; a job that never ran has no site', () => {
    const { groups } = computeKpis(kpiFixture(), 'site');
    expect(groups.map((g) => [g.key, g.label])).toEqual([['s1', 'CoE Islamabad'], ['s2', 'CoE Lahore']]);
    const [s1, s2] = groups;
    expect(s1!.capacity).toEqual({ gpus: 12, gpusByType: { 'a100-40gb': 4, 'h100-80gb': 8 }, bf16Pflops: 9.16, gpuHoursAvailable: 8_520 });
    expect(s1).toMatchObject({ gpuHoursDelivered: 12, utilisation: 0.0014, efficiency: 0.5, efficiencyCoverage: 0.8333, activeUsers: 2, activeProjects: 2, institutionsServed: 1 });
    expect(s1!.waits).toMatchObject({ jobs: 4, meanSeconds: 105, p50Seconds: 60, p90Seconds: 300 });
    expect(s1!.jobsByState).toEqual({ succeeded: 3, failed: 1, cancelled: 0 });
    expect(s2!.capacity).toEqual({ gpus: 4, gpusByType: { 'h100-80gb': 4 }, bf16Pflops: 3.956, gpuHoursAvailable: 1_440 });
    expect(s2).toMatchObject({ gpuHoursDelivered: 4.5, utilisation: 0.0031, efficiency: 0.75, efficiencyCoverage: 0.8889, activeUsers: 2, activeProjects: 2, institutionsServed: 1 });
    expect(s2!.jobsByState).toEqual({ succeeded: 1, failed: 0, cancelled: 0 });
  });

  it('by GPU type: capacity and use per type', () => {
    const { groups } = computeKpis(kpiFixture(), 'gpuType');
    expect(groups.map((g) => [g.key, g.capacity?.gpus, g.capacity?.gpuHoursAvailable, g.gpuHoursDelivered])).toEqual([
      ['a100-40gb', 4, 2_840, 2],
      ['h100-80gb', 12, 7_120, 14.5],
    ]);
  });

  it('by institution: no capacity (people side); every institution listed; never-run jobs count', () => {
    const { groups } = computeKpis(kpiFixture(), 'institution');
    expect(groups.map((g) => [g.key, g.label, g.capacity, g.utilisation, g.gpuHoursDelivered, g.institutionsServed, g.activeUsers])).toEqual([
      ['i1', 'I1', null, null, 12, 1, 2],
      ['i2', 'I2', null, null, 4, 1, 1],
      ['i3', 'I3', null, null, 0.5, 0, 1],
    ]);
    expect(groups[2]!.jobsByState).toEqual({ succeeded: 0, failed: 0, cancelled: 2 });
  });

  it('by province of the compute vs by province of the users', () => {
    expect(computeKpis(kpiFixture(), 'province').groups.map((g) => [g.key, g.gpuHoursDelivered])).toEqual([
      ['Islamabad Capital Territory', 12],
      ['Punjab', 4.5],
    ]);
    expect(computeKpis(kpiFixture(), 'institutionProvince').groups.map((g) => [g.key, g.gpuHoursDelivered, g.institutionsServed])).toEqual([
      ['Islamabad Capital Territory', 4, 1],
      ['Punjab', 12, 1],
      ['Sindh', 0.5, 0],
    ]);
  });

  it('by project', () => {
    expect(computeKpis(kpiFixture(), 'project').groups.map((g) => [g.key, g.gpuHoursDelivered, g.activeUsers])).toEqual([
      ['i1-a', 10, 1], ['i1-b', 2, 1], ['i2-a', 4, 1], ['i3-a', 0.5, 1],
    ]);
  });

  it('a period still running counts only the hours lived so far', () => {
    const r = computeKpis(kpiFixture({ now: Date.parse('2026-11-21T00:00:00Z') }), 'national');
    // p1 8 × (480 − 10) = 3,760; p2 4 × 470 = 1,880; p3 4 × 120 = 480.
    expect(r.national.capacity?.gpuHoursAvailable).toBe(6_120);
  });
});

describe('wait helpers', () => {
  it('buckets waits exactly below 10 minutes, then in 10 s, 1 min and 10 min steps', () => {
    expect([0, 59.9, 599, 600, 3_599, 3_600, 86_399, 86_400, 90_599].map(waitBucket)).toEqual([0, 59, 599, 600, 3_590, 3_600, 86_340, 86_400, 90_000]);
  });

  it('classes jobs by GPUs', () => {
    expect([1, 2, 4, 5, 8, 9, 32, 33, 512].map(sizeClassOf)).toEqual(['1', '2-4', '2-4', '5-8', '5-8', '9-32', '9-32', '33+', '33+']);
  });

  it('takes nearest-rank percentiles of weighted values', () => {
    const v = [{ value: 10, weight: 1 }, { value: 20, weight: 1 }, { value: 30, weight: 1 }, { value: 40, weight: 1 }];
    expect(weightedPercentile(v, 0.5)).toBe(20);
    expect(weightedPercentile(v, 0.9)).toBe(40);
    expect(weightedPercentile([], 0.5)).toBeNull();
  });
});
