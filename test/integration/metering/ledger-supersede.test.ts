/**
 * The ledger side of metering, on PGlite and PostgreSQL: a measured window takes back exactly its share of
 * every allocation estimate (by reversal rows, never by UPDATE), repeated sweeps add nothing, late
 * estimates are swept too, and the metering tables keep their rules (status only moves forward,
 * discrepancies recorded once and append-only, reversals only negative and only of estimates).
 */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { recordUsage, type UsageClaim } from '../../../src/control/usage-recorder.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { recordDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { insertMeasuredRows, ledgerTotalsOfJobs, reverseSupersededEstimates } from '../../../src/store/repositories/metering-ledger.js';
import { expirePendingWindows, recordWindows, windowStatuses } from '../../../src/store/repositories/metering-windows.js';
import { describeEachStore } from '../../helpers/db.js';
import { insertJobs, meteringGrid } from '../../helpers/metering-grid.js';

const grid = meteringGrid();
const T = Date.UTC(2026, 5, 1, 10, 0); // aligned to the minute
const MIN = 60_000;
const pool = grid.seed.pools.find((p) => p.clusterId === grid.slurm)!;

function claim(jobId: string, startedAt: number, end: number): UsageClaim {
  return { jobId, institutionId: grid.institution, projectId: grid.project, userId: grid.user, clusterId: grid.slurm, gpuType: pool.gpuType, gpus: 2, startedAt, end, minWindowMs: 0 };
}

function measured(jobId: string, start: number, gpuSeconds: number) {
  return { jobId, clusterId: grid.slurm, institutionId: grid.institution, projectId: grid.project, userId: grid.user, gpuType: pool.gpuType, windowStart: start, windowEnd: start + MIN, gpuSeconds };
}

describeEachStore('metering: superseding estimates in the ledger', (getDb) => {
  beforeAll(async () => {
    await writeGridSeed(getDb(), grid.seed);
    const job = (id: string) => ({ id, clusterId: grid.slurm, poolId: pool.id, gpuType: pool.gpuType, nodes: 1, gpusPerNode: 2, startedAt: T });
    await insertJobs(getDb(), grid, [job('j-s1'), job('j-s2'), job('j-s3')]);
  });

  it('a measured window takes back exactly its share of each estimate; shares of a partition add up to the estimate', async () => {
    const db = getDb();
    // The control loop's chain for a 2-GPU run of 170 s: [T, T+95 s) = 190 GPU-s, [T+95 s, T+170 s) = 150 GPU-s.
    await recordUsage(db, [claim('j-s1', T, T + 95_000)], T + 95_000, 604_800);
    await recordUsage(db, [claim('j-s1', T, T + 170_000)], T + 170_000, 604_800);
    await recordWindows(db, [{ clusterId: grid.slurm, start: T, end: T + MIN }, { clusterId: grid.slurm, start: T + MIN, end: T + 2 * MIN }], 'measured');
    await insertMeasuredRows(db, [measured('j-s1', T, 120), measured('j-s1', T + MIN, 120)]);
    const reversals = await reverseSupersededEstimates(db, { clusterId: grid.slurm, from: T, to: T + 2 * MIN });
    // [T,T+60) of the first estimate: round(190·60/95) = 120; [T+60,T+95): 190 − 120 = 70; [T+95,T+120) of the second: round(150·25/75) = 50.
    expect(reversals.map((r) => r.gpuSeconds).sort((a, b) => a - b)).toEqual([-120, -70, -50]);
    expect(await ledgerTotalsOfJobs(db, ['j-s1'])).toEqual(new Map([['j-s1', { measured: 240, estimated: 340, reversed: -240, net: 340 }]]));
    expect(await reverseSupersededEstimates(db, { clusterId: grid.slurm, from: T, to: T + 2 * MIN })).toEqual([]);

    // The last window: the rest of the second estimate (100 GPU-s) goes, and the ledger holds the measurement only.
    await recordWindows(db, [{ clusterId: grid.slurm, start: T + 2 * MIN, end: T + 3 * MIN }], 'measured');
    await insertMeasuredRows(db, [measured('j-s1', T + 2 * MIN, 100)]);
    const last = await reverseSupersededEstimates(db, { clusterId: grid.slurm, from: T + 2 * MIN, to: T + 3 * MIN });
    expect(last.map((r) => r.gpuSeconds)).toEqual([-100]);
    expect((await ledgerTotalsOfJobs(db, ['j-s1'])).get('j-s1')).toEqual({ measured: 340, estimated: 340, reversed: -340, net: 340 });
  });

  it('re-inserting measured rows for a window inserts nothing', async () => {
    expect(await insertMeasuredRows(getDb(), [measured('j-s1', T, 999)])).toEqual([]);
  });

  it('an estimate written after its windows were measured is taken back by the written-since sweep', async () => {
    const db = getDb();
    const before = Date.now() - 1_000;
    await recordUsage(db, [claim('j-s2', T, T + 2 * MIN)], T + 2 * MIN, 604_800);
    const swept = await reverseSupersededEstimates(db, { writtenSince: before });
    expect(swept.filter((r) => r.jobId === 'j-s2').map((r) => r.gpuSeconds)).toEqual([-120, -120]);
    expect((await ledgerTotalsOfJobs(db, ['j-s2'])).get('j-s2')!.net).toBe(0);
    expect(await reverseSupersededEstimates(db, { writtenSince: before })).toEqual([]);
  });

  it('estimates over windows not measured stand', async () => {
    const db = getDb();
    await recordWindows(db, [{ clusterId: grid.slurm, start: T + 10 * MIN, end: T + 11 * MIN }], 'pending', 'Prometheus down');
    await recordUsage(db, [claim('j-s3', T + 10 * MIN, T + 11 * MIN)], T + 11 * MIN, 604_800);
    expect(await reverseSupersededEstimates(db, { clusterId: grid.slurm, from: T + 10 * MIN, to: T + 11 * MIN })).toEqual([]);
    expect((await ledgerTotalsOfJobs(db, ['j-s3'])).get('j-s3')).toEqual({ measured: 0, estimated: 120, reversed: 0, net: 120 });
  });

  it('a window status only moves forward: measured stays measured, pending expires to estimated', async () => {
    const db = getDb();
    const w = (start: number) => ({ clusterId: grid.slurm, start, end: start + MIN });
    await recordWindows(db, [w(T)], 'pending', 'late');
    expect((await windowStatuses(db, grid.slurm, T, T + MIN)).get(T)).toBe('measured');
    await recordWindows(db, [w(T + 20 * MIN)], 'pending', 'down');
    expect(await expirePendingWindows(db, Date.now() + 1_000)).toBeGreaterThanOrEqual(1);
    expect((await windowStatuses(db, grid.slurm, T + 20 * MIN, T + 21 * MIN)).get(T + 20 * MIN)).toBe('estimated');
    await recordWindows(db, [w(T + 20 * MIN)], 'pending', 'again');
    expect((await windowStatuses(db, grid.slurm, T + 20 * MIN, T + 21 * MIN)).get(T + 20 * MIN)).toBe('estimated');
    await recordWindows(db, [w(T + 20 * MIN)], 'measured');
    expect((await windowStatuses(db, grid.slurm, T + 20 * MIN, T + 21 * MIN)).get(T + 20 * MIN)).toBe('measured');
  });

  it('reversals are negative allocation rows only, and may share the window of the estimate they reverse', async () => {
    const db = getDb();
    const row = { job_id: 'j-s3', cluster_id: grid.slurm, institution_id: grid.institution, project_id: grid.project, user_id: grid.user, gpu_type: pool.gpuType, window_start: new Date(T + 10 * MIN), window_end: new Date(T + 11 * MIN) };
    await db.insertInto('ledger_entries').values({ ...row, gpu_seconds: -120, source: 'allocation', kind: 'reversal' }).execute();
    expect((await ledgerTotalsOfJobs(db, ['j-s3'])).get('j-s3')!.net).toBe(0);
    await expect(db.insertInto('ledger_entries').values({ ...row, gpu_seconds: 5, source: 'prometheus', kind: 'reversal' }).execute()).rejects.toThrow(/ledger_entries_gpu_seconds_check/);
    await expect(db.insertInto('ledger_entries').values({ ...row, gpu_seconds: -1, source: 'prometheus' }).execute()).rejects.toThrow(/ledger_entries_gpu_seconds_check/);
    await expect(db.insertInto('ledger_entries').values({ ...row, gpu_seconds: -120, source: 'allocation', kind: 'reversal' }).execute()).rejects.toThrow(/ledger_entries_entry_key/);
  });

  it('discrepancies are recorded once per (cluster, window, kind, ref) and cannot be changed', async () => {
    const db = getDb();
    const d = { clusterId: grid.slurm, windowStart: T, windowEnd: T + MIN, kind: 'unknown-job' as const, ref: '4242', gpuSeconds: 60 };
    expect(await recordDiscrepancies(db, [d, { ...d, kind: 'ended-job', ref: 'j-s1', jobId: 'j-s1' }])).toHaveLength(2);
    expect(await recordDiscrepancies(db, [d])).toEqual([]);
    await expect(sql`update metering_discrepancies set gpu_seconds = 0`.execute(db)).rejects.toThrow('metering_discrepancies is append-only: UPDATE refused');
  });

  it('UPDATE on the ledger is still refused with the trigger message', async () => {
    await expect(sql`update ledger_entries set gpu_seconds = 0`.execute(getDb())).rejects.toThrow('ledger_entries is append-only: UPDATE refused; append a correcting row instead');
  });
});
