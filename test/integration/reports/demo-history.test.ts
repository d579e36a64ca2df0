/**
 * The demo history written to the store (src/store/repositories/past-jobs.ts) is what the KPIs report: the
 * period's GPU-hours delivered equal the charges, jobs by final state match, every event chain is
 * queued → dispatching → running → final, and capacity counts the grid from the history's start.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { defaultReportsConfig } from '../../../src/reports/config.js';
import { rangePeriod } from '../../../src/reports/period.js';
import { ReportService } from '../../../src/reports/report-service.js';
import { buildDemoHistory, type DemoHistory } from '../../../src/demo/history.js';
import { writePastJobs } from '../../../src/store/repositories/past-jobs.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const DAY = 86_400_000;
const from = Date.UTC(2026, 6, 1);
const to = from + 14 * DAY;

describeEachStore('demo history in the store', (getDb) => {
  const seed = gridFixture(4);
  let h: DemoHistory;

  beforeAll(async () => {
    await writeGridSeed(getDb(), seed, to);
    h = buildDemoHistory(seed, { from, to, seed: 11 });
    await writePastJobs(getDb(), h.jobs, h.charges, from);
  });

  it('reports the history: GPU-hours, jobs by state, capacity from its start', async () => {
    const service = new ReportService({ db: getDb(), now: () => to, config: defaultReportsConfig, freshnessMs: 0 });
    const report = await service.pillar5Of(rangePeriod(from, to));
    const charged = h.charges.reduce((s, c) => s + c.gpuSeconds, 0) / 3600;
    expect(report.national.gpuHoursDelivered).toBeCloseTo(charged, 1);
    const count = (state: string) => h.jobs.filter((j) => j.state === state).length;
    expect(report.national.jobsByState).toMatchObject({ succeeded: count('succeeded'), failed: count('failed'), cancelled: count('cancelled') });
    const gpus = seed.pools.filter((p) => seed.clusters.find((c) => c.id === p.clusterId)!.state !== 'offline').reduce((s, p) => s + p.nodes * p.gpusPerNode, 0);
    expect(report.national.capacity?.gpus).toBe(gpus);
    expect(report.national.utilisation).toBeGreaterThan(0);
  });

  it('gives every job the event chain the control loop writes', async () => {
    const chains = await sql<{ chain: string; n: number }>`
      select string_agg(coalesce(from_state, '-') || '>' || to_state, ' ' order by id) as chain, count(*)::int as n
        from job_events group by job_id`.execute(getDb());
    const seen = new Set(chains.rows.map((r) => r.chain));
    for (const c of seen) expect(c).toMatch(/^->queued queued>dispatching dispatching>running running>(succeeded|failed|cancelled)$/);
    expect(chains.rows.length).toBe(h.jobs.length);
  });
});
