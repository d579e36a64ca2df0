/**
 * Issue 7 tests (1), (3) and (4) against real Prometheus 2.42, both real-time scenarios set up at once
 * (test/helpers/metering-scenarios.ts):
 *   (1) jobs scraped every second: the ledger holds each job's GPU-seconds within 5 %, all measured;
 *   (3) Prometheus stopped mid-run and started again: estimates while it was down, replaced where its
 *       data is complete, kept over the gap; per job the totals equal the truth (within the 5 % sampling
 *       error of 1 s scrapes) and no window is both measured and estimated;
 *   (4) re-running the meter over the same windows changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDiscrepancies } from '../../../src/store/repositories/metering-discrepancies.js';
import { pendingWindows } from '../../../src/store/repositories/metering-windows.js';
import { LIVE_STEP_SECONDS } from '../../helpers/metering-live.js';
import { liveScenario, outageScenario, type OutageScenario, type Scenario } from '../../helpers/metering-scenarios.js';
import { prometheusGate } from '../../helpers/prometheus.js';

const gate = await prometheusGate();
const STEP_MS = LIVE_STEP_SECONDS * 1000;

async function expectWithinFivePercent(s: Scenario, ids: readonly string[]): Promise<void> {
  const totals = await s.bench.totals();
  for (const id of ids) {
    const truth = s.bench.truth(id);
    const t = totals.get(id)!;
    expect(Math.abs(t.net - truth) / truth, `${id}: ledger ${JSON.stringify(t)} vs truth ${truth} GPU-s`).toBeLessThanOrEqual(0.05);
  }
}

async function expectRerunChangesNothing(s: Scenario): Promise<void> {
  const rows = () => s.bench.db.selectFrom('ledger_entries').selectAll().orderBy('id').execute();
  const disc = () => s.bench.db.selectFrom('metering_discrepancies').selectAll().orderBy('id').execute();
  const [beforeRows, beforeDisc] = [await rows(), await disc()];
  expect(beforeRows.length).toBeGreaterThan(0);
  const again = await s.bench.meter(s.prometheusUrl).meterRange(s.from, s.to, { force: true });
  expect(again.errors).toEqual([]);
  expect([again.rowsInserted, again.reversals, again.estimateRows, again.discrepancies]).toEqual([0, 0, 0, 0]);
  expect(await rows()).toEqual(beforeRows);
  expect(await disc()).toEqual(beforeDisc);
}

describe.runIf(gate.available)('metering with a real Prometheus, in real time', () => {
  let live: Scenario;
  let outage: OutageScenario;

  beforeAll(async () => {
    const [a, b] = await Promise.allSettled([liveScenario(), outageScenario()]);
    if (a.status === 'fulfilled') live = a.value;
    if (b.status === 'fulfilled') outage = b.value;
    if (a.status === 'rejected') throw a.reason;
    if (b.status === 'rejected') throw b.reason;
  }, 150_000);

  afterAll(async () => {
    await Promise.all([live?.close(), outage?.close()]);
  });

  describe('(1) a live scrape (shared Prometheus, 1 s scrapes)', () => {
    it('meters each job within 5 % of GPUs × run time, all of it measured, with utilisation as efficiency', async () => {
      const report = await live.bench.meter(live.prometheusUrl).meterRange(live.from, live.to);
      expect(report.errors).toEqual([]);
      expect(report.windowsPending).toBe(0);
      expect(report.windowsMeasured).toBe(2 * ((live.to - live.from) / STEP_MS));
      await expectWithinFivePercent(live, ['j-live-a', 'j-live-b', 'j-live-c']);
      const totals = await live.bench.totals();
      for (const id of ['j-live-a', 'j-live-b', 'j-live-c']) expect(totals.get(id)).toMatchObject({ estimated: 0, reversed: 0 });
      const rows = await live.bench.db.selectFrom('ledger_entries').select(['job_id', 'efficiency']).where('job_id', 'in', ['j-live-a', 'j-live-b', 'j-live-c']).execute();
      const byJob = new Map(rows.map((r) => [r.job_id, r.efficiency]));
      expect(byJob.get('j-live-a')).toBeCloseTo(0.7, 6);
      expect(byJob.get('j-live-b')).toBeCloseTo(0.9, 6);
      expect(byJob.get('j-live-c')).toBeCloseTo(0.5, 6);
      expect(await pendingWindows(live.bench.db)).toEqual([]);
    });

    it('records GPU use of a job ncg does not know, and of a job ncg holds as ended (charged, and flagged)', async () => {
      const { items } = await listDiscrepancies(live.bench.db, {}, { limit: 500 });
      const unknown = items.filter((d) => d.kind === 'unknown-job');
      expect(new Set(unknown.map((d) => d.ref))).toEqual(new Set(['j-live-d']));
      expect(unknown.every((d) => d.clusterId === live.bench.grid.slurm && d.jobId === undefined)).toBe(true);
      expect(Math.abs(unknown.reduce((s, x) => s + x.gpuSeconds, 0) - 24) / 24).toBeLessThanOrEqual(0.1); // 2 GPUs × 12 s
      const ended = items.filter((x) => x.kind === 'ended-job');
      expect(new Set(ended.map((x) => x.jobId))).toEqual(new Set(['j-live-e']));
      expect(ended.every((x) => x.ref === 'j-live-e' && x.clusterId === live.bench.grid.k8s)).toBe(true);
      const charged = await live.bench.db.selectFrom('ledger_entries').select((eb) => eb.fn.sum<string>('gpu_seconds').as('s')).where('job_id', '=', 'j-live-e').executeTakeFirstOrThrow();
      expect(Math.abs(Number(charged.s) - 15) / 15).toBeLessThanOrEqual(0.1); // 1 GPU × 15 s
    });

    it('(4) re-running the meter over the same windows changes nothing; without force they are not even queried', async () => {
      await expectRerunChangesNothing(live);
      expect((await live.bench.meter(live.prometheusUrl).meterRange(live.from, live.to)).windowsMeasured).toBe(0);
    });
  });

  describe('(3) Prometheus stopped mid-run and started again (private Prometheus)', () => {
    it('while it was down: windows pending, allocation estimates written, the error reported', () => {
      expect(outage.duringOutage.windowsMeasured).toBe(0);
      expect(outage.duringOutage.windowsPending).toBeGreaterThan(0);
      expect(outage.duringOutage.estimateRows).toBeGreaterThan(0);
      expect(outage.duringOutage.errors[0]?.message).toMatch(/unavailable/);
    });

    it('once it answers: per job the totals equal the truth; measured where data is complete, estimated over the gap', async () => {
      const report = await outage.bench.meter(outage.prometheusUrl).meterRange(outage.from, outage.to);
      expect(report.errors).toEqual([]);
      expect(report.windowsMeasured).toBeGreaterThan(0);
      expect(report.reversals).toBeGreaterThan(0); // windows metered during the outage had complete data
      expect((await pendingWindows(outage.bench.db)).length).toBeGreaterThan(0); // the gap stays estimated
      await expectWithinFivePercent(outage, ['j-out-a', 'j-out-b', 'j-out-c']);
      const totals = [...(await outage.bench.totals()).values()];
      expect(totals.some((t) => t.measured > 0 && t.estimated + t.reversed > 0)).toBe(true);
    });

    it('no window is counted twice: estimates are reversed exactly over measured windows, never over pending ones', async () => {
      const rows = await outage.bench.db.selectFrom('ledger_entries').selectAll().execute();
      const windows = await outage.bench.db.selectFrom('metering_windows').selectAll().execute();
      const measured = windows.filter((w) => w.status === 'measured');
      const key = (job: string, a: number, b: number) => `${job}|${a}|${b}`;
      const overlaps = new Set<string>();
      for (const e of rows.filter((r) => r.source === 'allocation' && r.kind === 'charge')) {
        for (const w of measured.filter((m) => m.cluster_id === e.cluster_id)) {
          const lo = Math.max(e.window_start.getTime(), w.window_start.getTime());
          const hi = Math.min(e.window_end.getTime(), w.window_end.getTime());
          if (lo < hi) overlaps.add(key(e.job_id, lo, hi));
        }
      }
      const reversed = rows.filter((r) => r.kind === 'reversal').map((r) => key(r.job_id, r.window_start.getTime(), r.window_end.getTime()));
      expect(new Set(reversed).size).toBe(reversed.length);
      for (const k of reversed) expect(overlaps.has(k), `reversal ${k} is not an estimate's overlap with a measured window`).toBe(true);
      // Estimates fully inside measured windows are reversed to the last GPU-second.
      for (const e of rows.filter((r) => r.source === 'allocation' && r.kind === 'charge')) {
        const inside = measured.filter((m) => m.cluster_id === e.cluster_id && m.window_start < e.window_end && m.window_end > e.window_start);
        const covered = inside.reduce((s, m) => s + Math.min(m.window_end.getTime(), e.window_end.getTime()) - Math.max(m.window_start.getTime(), e.window_start.getTime()), 0);
        if (covered !== e.window_end.getTime() - e.window_start.getTime()) continue;
        const back = rows.filter((r) => r.kind === 'reversal' && r.job_id === e.job_id && r.window_start >= e.window_start && r.window_end <= e.window_end);
        expect(back.reduce((s, r) => s + r.gpu_seconds, 0)).toBe(-e.gpu_seconds);
      }
      const notMeasured = new Set(windows.filter((w) => w.status !== 'measured').map((w) => `${w.cluster_id}|${w.window_start.getTime()}`));
      expect(rows.filter((r) => r.source === 'prometheus' && notMeasured.has(`${r.cluster_id}|${r.window_start.getTime()}`))).toEqual([]);
    });

    it('(4) a re-run over the same windows changes nothing', async () => {
      await expectRerunChangesNothing(outage);
    });
  });
});
