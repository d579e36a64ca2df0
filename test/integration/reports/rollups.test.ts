/**
 * The daily rollups against the base tables, on PGlite and PostgreSQL: after any sequence of writes and
 * refreshes, KPIs from the rollups equal KPIs computed from scratch; refreshes touch only marked days; SQL
 * wait percentiles equal the pure definition's.
 */
import { expect, it } from 'vitest';
import { kpiReport, type Grouping } from '../../../src/reports/kpi/index.js';
import { parsePeriod } from '../../../src/reports/period.js';
import { loadKpiInput } from '../../../src/reports/queries/kpi-input.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { pendingRollupMarks, refreshKpiRollups } from '../../../src/store/repositories/kpi-rollups.js';
import type { Db } from '../../../src/store/rows.js';
import { describeEachStore } from '../../helpers/db.js';
import { fixtureInstitutionId, gridFixture } from '../../helpers/grid-fixture.js';
import { jobRow, ledgerRow } from '../../helpers/job-rows.js';

const JAN = parsePeriod('2026-01');
const at = (day: number, hour = 10, minute = 0) => new Date(Date.UTC(2026, 0, day, hour, minute));
const GROUPINGS: Grouping[] = ['national', 'site', 'province', 'cluster', 'gpuType', 'institution', 'institutionProvince', 'project'];

async function seedFacts(db: Db): Promise<void> {
  await writeGridSeed(db, gridFixture(3), Date.UTC(2025, 11, 1));
  const inst = (i: number) => fixtureInstitutionId(i);
  const jobs = [
    jobRow('a', { state: 'succeeded', submitted_at: at(3, 9), started_at: at(3, 9, 5), ended_at: at(3, 12), cluster_id: 'isb-k8s', pool_id: 'isb-k8s-h100' }),
    jobRow('b', { state: 'failed', submitted_at: at(3, 9), started_at: at(3, 11), ended_at: at(4, 1), cluster_id: 'isb-k8s', pool_id: 'isb-k8s-h100', nodes: 1, gpus_per_node: 1 }),
    jobRow('c', { state: 'running', institution_id: inst(1), project_id: `${inst(1)}-p1`, user_id: `${inst(1)}-r1`, submitted_at: at(10, 8), started_at: at(10, 8, 0), cluster_id: 'qta-slurm', pool_id: 'qta-slurm-a100', gpu_types: ['A100-40GB'], nodes: 1, gpus_per_node: 4 }),
    jobRow('d', { state: 'cancelled', institution_id: inst(2), project_id: `${inst(2)}-p1`, user_id: `${inst(2)}-r1`, submitted_at: at(12, 8), ended_at: at(12, 9) }),
    jobRow('e', { state: 'succeeded', submitted_at: at(20, 0), started_at: at(20, 3, 7), ended_at: at(20, 9), cluster_id: 'isb-k8s', pool_id: 'isb-k8s-l40s', gpu_types: ['L40S'], nodes: 1, gpus_per_node: 2 }),
  ];
  await db.insertInto('jobs').values(jobs).execute();
  await db.insertInto('ledger_entries').values([
    ledgerRow('a', { window_start: at(3, 9, 5), window_end: at(3, 12), gpu_seconds: 8 * 10_500, efficiency: 0.8, source: 'prometheus' }),
    ledgerRow('b', { window_start: at(3, 11), window_end: at(3, 23), gpu_seconds: 43_200, source: 'allocation', efficiency: null }),
    ledgerRow('b', { window_start: at(3, 11), window_end: at(3, 12), gpu_seconds: -3_600, source: 'allocation', kind: 'reversal', efficiency: null }),
    ledgerRow('b', { window_start: at(3, 11), window_end: at(3, 12), gpu_seconds: 3_600, efficiency: 0.5, source: 'prometheus' }),
    ledgerRow('c', { institution_id: inst(1), project_id: `${inst(1)}-p1`, user_id: `${inst(1)}-r1`, cluster_id: 'qta-slurm', gpu_type: 'A100-40GB', window_start: at(10, 8), window_end: at(10, 20), gpu_seconds: 4 * 43_200, efficiency: 0.6, source: 'prometheus' }),
    ledgerRow('e', { gpu_type: 'L40S', window_start: at(20, 3, 7), window_end: at(20, 9), gpu_seconds: 2 * 21_180, source: 'allocation', efficiency: null }),
  ]).execute();
}

async function same(db: Db, groupings: Grouping[] = GROUPINGS): Promise<void> {
  for (const g of groupings) {
    const now = Date.UTC(2026, 1, 1);
    const fromRollups = kpiReport(await loadKpiInput(db, JAN, { now, groupings: [g] }), g);
    const fromScratch = kpiReport(await loadKpiInput(db, JAN, { now, groupings: [g], source: 'base' }), g);
    const pureWaits = kpiReport(await loadKpiInput(db, JAN, { now, groupings: [g], source: 'base', waitsIn: 'rows' }), g);
    expect(fromRollups, g).toEqual(fromScratch);
    expect(fromRollups, `${g}: SQL waits`).toEqual(pureWaits);
  }
}

describeEachStore('KPI rollups', (getDb) => {
  it('roll up every day written before the first refresh, and then agree with the base tables', async () => {
    const db = getDb();
    await seedFacts(db);
    expect(await pendingRollupMarks(db)).toBeGreaterThan(0);
    const first = await refreshKpiRollups(db);
    expect(first.ledgerDays).toEqual(['2026-01-03', '2026-01-10', '2026-01-20']);
    expect(first.jobDays).toEqual(['2026-01-03', '2026-01-04', '2026-01-10', '2026-01-12', '2026-01-20']);
    expect(await pendingRollupMarks(db)).toBe(0);
    await same(db);
    const r = kpiReport(await loadKpiInput(db, JAN, { now: Date.UTC(2026, 1, 1) }), 'national');
    // a: 84,000; b: 43,200 − 3,600 + 3,600; c: 172,800; e: 42,360 GPU-seconds.
    expect(r.national.gpuHoursDelivered).toBe(95.1);
    expect(r.national.jobsByState).toEqual({ succeeded: 2, failed: 1, cancelled: 1 });
    // Waits 0, 300, 7,200 and 11,220 s; above 100 s percentiles are read to two significant digits (11,000).
    expect(r.national.waits).toMatchObject({ jobs: 4, p50Seconds: 300, p90Seconds: 11_000 });
  });

  it('recompute only the days a later write touched, and stay equal to the base tables', async () => {
    const db = getDb();
    await db.insertInto('ledger_entries').values(ledgerRow('e', { gpu_type: 'L40S', window_start: at(21, 1), window_end: at(21, 2), gpu_seconds: 7_200, efficiency: 0.9, source: 'prometheus' })).execute();
    await db.updateTable('jobs').set({ state: 'succeeded', ended_at: at(11, 6) }).where('id', '=', 'j-c').execute();
    const second = await refreshKpiRollups(db);
    expect(second.ledgerDays).toEqual(['2026-01-21']);
    expect(second.jobDays).toEqual(['2026-01-11']);
    await same(db);
    expect(await refreshKpiRollups(db)).toEqual({ ran: true, ledgerDays: [], jobDays: [] });
  });

  it('move a restarted job’s wait from the day it left to the day it started again', async () => {
    const db = getDb();
    await db.updateTable('jobs').set({ started_at: at(22, 5), ended_at: at(23, 5) }).where('id', '=', 'j-c').execute();
    const third = await refreshKpiRollups(db);
    expect(third.jobDays).toEqual(['2026-01-10', '2026-01-11', '2026-01-22', '2026-01-23']);
    await same(db, ['national', 'institution']);
  });
});
