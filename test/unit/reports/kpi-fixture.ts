/**
 * A small grid and a month of facts whose KPIs were worked out by hand (the numbers in the comments of
 * kpi-definitions.test.ts). Period 2026-11 (720 h); c2 registered on the 16th (360 h); c1 seen down 10 h.
 */
import { parsePeriod } from '../../../src/reports/period.js';
import type { KpiInput } from '../../../src/reports/kpi/index.js';

const t = (iso: string) => Date.parse(iso);

/** The hand-checked input; `now` after the period (every hour lived). */
export function kpiFixture(overrides: Partial<KpiInput> = {}): KpiInput {
  return {
    period: parsePeriod('2026-11'),
    now: t('2026-12-15T00:00:00Z'),
    sites: [
      { id: 's1', name: 'CoE Islamabad', city: 'Islamabad', province: 'Islamabad Capital Territory' },
      { id: 's2', name: 'CoE Lahore', city: 'Lahore', province: 'Punjab' },
    ],
    clusters: [
      { id: 'c1', siteId: 's1', name: 'isb-sim', kind: 'sim', state: 'active', registeredAt: t('2026-01-01T00:00:00Z') },
      { id: 'c2', siteId: 's2', name: 'lhr-slurm', kind: 'slurm', state: 'active', registeredAt: t('2026-11-16T00:00:00Z') },
    ],
    pools: [
      { id: 'p1', clusterId: 'c1', gpuType: 'h100-80gb', gpus: 8, bf16Tflops: 989, registeredAt: t('2026-01-01T00:00:00Z') },
      { id: 'p2', clusterId: 'c1', gpuType: 'a100-40gb', gpus: 4, bf16Tflops: 312, registeredAt: t('2026-01-01T00:00:00Z') },
      { id: 'p3', clusterId: 'c2', gpuType: 'h100-80gb', gpus: 4, bf16Tflops: 989, registeredAt: t('2026-11-16T00:00:00Z') },
    ],
    institutions: [
      { id: 'i1', name: 'Institution One', shortName: 'I1', province: 'Punjab' },
      { id: 'i2', name: 'Institution Two', shortName: 'I2', province: 'Islamabad Capital Territory' },
      { id: 'i3', name: 'Institution Three', shortName: 'I3', province: 'Sindh' },
    ],
    projects: [
      { id: 'i1-a', institutionId: 'i1', name: 'I1 A' },
      { id: 'i1-b', institutionId: 'i1', name: 'I1 B' },
      { id: 'i2-a', institutionId: 'i2', name: 'I2 A' },
      { id: 'i3-a', institutionId: 'i3', name: 'I3 A' },
    ],
    usage: [
      { day: '2026-11-02', clusterId: 'c1', gpuType: 'h100-80gb', institutionId: 'i1', projectId: 'i1-a', userId: 'u1', gpuSeconds: 36_000, effGpuSeconds: 36_000, busyGpuSeconds: 18_000 },
      { day: '2026-11-03', clusterId: 'c1', gpuType: 'a100-40gb', institutionId: 'i1', projectId: 'i1-b', userId: 'u2', gpuSeconds: 7_200, effGpuSeconds: 0, busyGpuSeconds: 0 },
      { day: '2026-11-20', clusterId: 'c2', gpuType: 'h100-80gb', institutionId: 'i2', projectId: 'i2-a', userId: 'u3', gpuSeconds: 14_400, effGpuSeconds: 14_400, busyGpuSeconds: 10_800 },
      { day: '2026-11-21', clusterId: 'c2', gpuType: 'h100-80gb', institutionId: 'i3', projectId: 'i3-a', userId: 'u4', gpuSeconds: 1_800, effGpuSeconds: 0, busyGpuSeconds: 0 },
      // An estimate and its reversal: net zero, so u5 is not an active user.
      { day: '2026-11-22', clusterId: 'c1', gpuType: 'h100-80gb', institutionId: 'i3', projectId: 'i3-a', userId: 'u5', gpuSeconds: 0, effGpuSeconds: 0, busyGpuSeconds: 0 },
    ],
    waits: [
      { day: '2026-11-02', clusterId: 'c1', gpuType: 'h100-80gb', institutionId: 'i1', projectId: 'i1-a', sizeClass: '5-8', waitSeconds: 60, jobs: 2, waitSumSeconds: 120 },
      { day: '2026-11-02', clusterId: 'c1', gpuType: 'h100-80gb', institutionId: 'i1', projectId: 'i1-a', sizeClass: '5-8', waitSeconds: 300, jobs: 1, waitSumSeconds: 300 },
      { day: '2026-11-03', clusterId: 'c1', gpuType: 'a100-40gb', institutionId: 'i1', projectId: 'i1-b', sizeClass: '1', waitSeconds: 0, jobs: 1, waitSumSeconds: 0 },
      { day: '2026-11-20', clusterId: 'c2', gpuType: 'h100-80gb', institutionId: 'i2', projectId: 'i2-a', sizeClass: '2-4', waitSeconds: 3_600, jobs: 1, waitSumSeconds: 3_600 },
    ],
    jobEnds: [
      { day: '2026-11-02', clusterId: 'c1', gpuType: 'h100-80gb', institutionId: 'i1', projectId: 'i1-a', state: 'succeeded', jobs: 3 },
      { day: '2026-11-03', clusterId: 'c1', gpuType: 'a100-40gb', institutionId: 'i1', projectId: 'i1-b', state: 'failed', jobs: 1 },
      { day: '2026-11-20', clusterId: 'c2', gpuType: 'h100-80gb', institutionId: 'i2', projectId: 'i2-a', state: 'succeeded', jobs: 1 },
      { day: '2026-11-25', clusterId: '', gpuType: 'h100-80gb', institutionId: 'i3', projectId: 'i3-a', state: 'cancelled', jobs: 2 },
    ],
    down: [{ clusterId: 'c1', seconds: 36_000 }],
    allocations: [
      { id: 'a1', institutionId: 'i1', periodStart: t('2026-10-01T00:00:00Z'), periodEnd: t('2027-01-01T00:00:00Z'), gpuHours: 20, kind: 'hard', usedGpuSeconds: 43_200 },
      { id: 'a2', institutionId: 'i2', periodStart: t('2026-10-01T00:00:00Z'), periodEnd: t('2027-01-01T00:00:00Z'), gpuHours: 4, kind: 'soft', usedGpuSeconds: 14_400 },
      { id: 'a3', institutionId: 'i1', projectId: 'i1-a', periodStart: t('2026-10-01T00:00:00Z'), periodEnd: t('2027-01-01T00:00:00Z'), gpuHours: 5, kind: 'hard', usedGpuSeconds: 36_000 },
      { id: 'a4', institutionId: 'i3', periodStart: t('2026-01-01T00:00:00Z'), periodEnd: t('2026-04-01T00:00:00Z'), gpuHours: 9, kind: 'hard', usedGpuSeconds: 0 },
    ],
    unmanaged: [{ name: 'legacy-v100', gpuType: 'v100-32gb', gpus: 16, bf16Tflops: 125 }],
    institutionTargets: [2, 3],
    ...overrides,
  };
}
