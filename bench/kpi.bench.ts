/**
 * KPI benchmark (issue 10): a year of national history — 10 million ledger rows from the 150 institutions
 * of the seeded national grid — in a fresh database on the real PostgreSQL; the daily rollups built from
 * their change marks; then the national yearly KPI query and the per-institution grouping, timed.
 * Target: each query ≤ 1 s. Also timed: an incremental refresh after one more day of rows.
 *
 *   npm run bench:kpi                      10 M rows, human-readable
 *   npm run bench:kpi -- --json            one JSON line: {"rows":…,"queryMs":…,…}
 *   npm run bench:kpi -- --rows 1000000    a stated fraction (the output says how many rows it had)
 *   NCG_TEST_DATABASE_URL=postgres://…     the server (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { kpiReport } from '../src/reports/kpi/index.js';
import { loadKpiInput } from '../src/reports/queries/kpi-input.js';
import { parsePeriod } from '../src/reports/period.js';
import { nationalGridSeed } from '../src/seed/national-grid.js';
import { migrateToLatest, openDatabase, writeGridSeed } from '../src/store/index.js';
import { refreshKpiRollups } from '../src/store/repositories/kpi-rollups.js';
import { generateJobs, jobsFor, markDays } from './kpi-data.js';

const json = process.argv.includes('--json');
const keep = process.argv.includes('--keep');
const rowsArg = process.argv.indexOf('--rows');
const targetRows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 10_000_000;
const serverUrl = process.env.NCG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const YEAR = parsePeriod('2026');
const CHUNKS = Math.max(1, Math.ceil(targetRows / 500_000));

function say(msg: string): void {
  if (!json) process.stderr.write(`${msg}\n`);
}

async function admin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round((performance.now() - t0) * 10) / 10 };
}

const name = `ncg_bench_kpi_${randomBytes(4).toString('hex')}`;
await admin(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const opened = await openDatabase({ url: url.href, poolSize: 4 });
try {
  const db = opened.db;
  await migrateToLatest(db);
  await writeGridSeed(db, nationalGridSeed(), Date.UTC(2025, 11, 1));
  // Registered before the year, so the whole year counts as available (bench-only SQL: the seed stamps now()).
  await sql`update clusters set created_at = ${new Date(Date.UTC(2025, 11, 1))}`.execute(db);
  await sql`update pools set created_at = ${new Date(Date.UTC(2025, 11, 1))}`.execute(db);
  const totalJobs = jobsFor(targetRows);
  const per = Math.ceil(totalJobs / CHUNKS);
  let rows = 0;
  const gen = await timed(async () => {
    for (let first = 1; first <= totalJobs; first += per) {
      const g = await generateJobs(db, first, Math.min(totalJobs, first + per - 1), totalJobs, YEAR.start, true);
      rows += g.ledgerRows;
      say(`  generated jobs ${first}…${Math.min(totalJobs, first + per - 1)}: ${rows.toLocaleString()} ledger rows so far`);
    }
  });
  // Bulk loading bypassed the triggers; mark every day (and the spill-over into next January) as they would have.
  await markDays(db, YEAR.start, YEAR.end + 2 * 86_400_000);
  say(`generated ${rows.toLocaleString()} ledger rows and ${totalJobs.toLocaleString()} jobs in ${(gen.ms / 1000).toFixed(1)} s; analysing`);
  const build = await timed(() => refreshKpiRollups(db));
  say(`rollups built: ${build.value.ledgerDays.length} ledger days, ${build.value.jobDays.length} job days in ${(build.ms / 1000).toFixed(1)} s`);
  await admin(`analyze`).catch(() => undefined);

  const now = YEAR.end;
  const query = async (groupBy: 'national' | 'institution') => {
    const times: number[] = [];
    let report: ReturnType<typeof kpiReport> | undefined;
    for (let i = 0; i < 5; i++) {
      const t = await timed(async () => kpiReport(await loadKpiInput(db, YEAR, { now, groupings: [groupBy] }), groupBy));
      times.push(t.ms);
      report = t.value;
    }
    times.sort((a, b) => a - b);
    return { firstMs: times[0]!, medianMs: times[2]!, maxMs: times[4]!, report: report! };
  };
  const national = await query('national');
  const perInstitution = await query('institution');
  say(`national yearly query: median ${national.medianMs} ms (max ${national.maxMs}); per institution: median ${perInstitution.medianMs} ms`);

  // One more day of the meter's rows, then an incremental refresh touches only that day.
  const extra = await generateJobs(db, totalJobs + 1, totalJobs + Math.ceil(totalJobs / 365), totalJobs, YEAR.start);
  const incremental = await timed(() => refreshKpiRollups(db));
  say(`incremental refresh after ${extra.ledgerRows.toLocaleString()} more rows: ${incremental.value.ledgerDays.length} ledger days in ${incremental.ms} ms`);

  const out = {
    rows,
    institutions: national.report.institutionsServed.registered,
    queryMs: national.medianMs,
    perInstitutionQueryMs: perInstitution.medianMs,
    maxQueryMs: Math.max(national.maxMs, perInstitution.maxMs),
    rollupBuildMs: build.ms,
    incrementalRefreshMs: incremental.ms,
    incrementalDays: incremental.value.ledgerDays.length,
    generateMs: gen.ms,
    gpuHoursDelivered: national.report.national.gpuHoursDelivered,
    utilisation: national.report.national.utilisation,
    institutionsServed: national.report.institutionsServed.served,
    targetMs: 1000,
  };
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  await opened.close();
  if (!keep) await admin(`drop database if exists ${name} with (force)`);
  else say(`kept database ${name}`);
}
