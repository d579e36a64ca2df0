/**
 * The embedded demo's past, written once at the first start (see history.ts): from the start of the
 * previous quarter until now, so `ncg report pillar5 --period <last quarter>` and the dashboard's charts
 * show a grid that has been working for months, and fair share starts from that past. `demo.history: false` (NCG_DEMO_HISTORY=0) skips it.
 */
import { periodContaining, previousPeriod } from '../reports/period.js';
import type { GridSeed } from '../seed/types.js';
import { writePastJobs } from '../store/repositories/past-jobs.js';
import { upsertUsageAccounts } from '../store/repositories/usage-accounts.js';
import type { Db } from '../store/rows.js';
import { buildDemoHistory, historyUsage } from './history.js';

/** What was written. */
export interface SeededHistory {
  from: number;
  jobs: number;
  gpuHours: number;
}

/** Start (epoch ms, UTC) of the quarter before the one containing `now`. */
export function previousQuarterStart(now: number): number {
  return previousPeriod('quarter', periodContaining('quarter', now)).start;
}

/** Build and write the history of `seed`'s grid up to `now`. */
export async function seedDemoHistory(db: Db, seed: GridSeed, now: number, rngSeed: number, halfLifeSeconds: number): Promise<SeededHistory> {
  const from = previousQuarterStart(now);
  const history = buildDemoHistory(seed, { from, to: now, seed: rngSeed });
  await writePastJobs(db, history.jobs, history.charges, from);
  // Fair share remembers the past too: the history's decayed usage, as of now.
  const usage = historyUsage(history.jobs, now, halfLifeSeconds);
  await upsertUsageAccounts(db, [...usage].map(([accountId, value]) => ({ accountId, value, asOf: now })));
  const gpuSeconds = history.charges.reduce((s, c) => s + c.gpuSeconds, 0);
  return { from, jobs: history.jobs.length, gpuHours: Math.round(gpuSeconds / 3600) };
}
