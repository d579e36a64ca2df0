/**
 * Snapshots in the store, on PGlite and PostgreSQL: the schedule catches up missed periods once (one row
 * per period, however often it runs), listing re-verifies each hash and flags a row whose content does not
 * match it, and the table refuses to be rewritten.
 */
import { expect, it } from 'vitest';
import { defaultReportsConfig } from '../../../src/reports/config.js';
import { contentHash } from '../../../src/reports/canonical.js';
import { ReportService } from '../../../src/reports/report-service.js';
import { SnapshotSchedule } from '../../../src/reports/snapshot-schedule.js';
import { listVerifiedSnapshots } from '../../../src/reports/snapshots.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { insertSnapshot } from '../../../src/store/repositories/kpi-snapshots.js';
import { describeEachStore } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const quiet = { info: () => undefined, warn: () => undefined };

describeEachStore('KPI snapshots', (getDb) => {
  let now = Date.UTC(2026, 1, 10);
  const schedule = () => {
    const service = new ReportService({ db: getDb(), now: () => now, config: defaultReportsConfig, freshnessMs: 0 });
    return new SnapshotSchedule({ db: getDb(), now: () => now, config: defaultReportsConfig.snapshots, build: (p) => service.pillar5Of(p), log: quiet });
  };

  it('catch up the last closed month and quarter at start, once', async () => {
    await writeGridSeed(getDb(), gridFixture(3), Date.UTC(2025, 0, 1));
    expect(await schedule().catchUp()).toEqual(['2026-01', '2025-Q4']);
    expect(await schedule().catchUp()).toEqual([]);
    now = Date.UTC(2026, 3, 2);
    const s = schedule();
    expect(await s.tick()).toEqual(['2026-02', '2026-03', '2026-Q1']);
    expect(await s.tick()).toEqual([]);
    const listed = await listVerifiedSnapshots(getDb());
    expect(listed.map((x) => [x.period, x.verified])).toEqual([
      ['2026-03', true], ['2026-02', true], ['2026-Q1', true], ['2026-01', true], ['2025-Q4', true],
    ]);
  });

  it('flag a snapshot whose stored content does not match its hash', async () => {
    const db = getDb();
    const content = { report: 'pillar5', national: { gpuHoursDelivered: 10 } };
    // The row a tamperer could only add (the table refuses UPDATE): content altered after hashing.
    await insertSnapshot(db, { kind: 'pillar5', period: '2025-11', periodStart: Date.UTC(2025, 10, 1), periodEnd: Date.UTC(2025, 11, 1), content: { ...content, national: { gpuHoursDelivered: 99 } }, sha256: contentHash(content) });
    const row = (await listVerifiedSnapshots(db)).find((x) => x.period === '2025-11')!;
    expect(row.verified).toBe(false);
    expect((await listVerifiedSnapshots(db)).filter((x) => x.period !== '2025-11').every((x) => x.verified)).toBe(true);
  });

  it('refuse to rewrite a snapshot', async () => {
    const err = await getDb().updateTable('kpi_snapshots').set({ sha256: 'f'.repeat(64) }).where('period', '=', '2026-01').execute().catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/append-only/);
  });
});
