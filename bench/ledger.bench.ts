/**
 * Ledger benchmark (issue 7): measured rows written per second into the real PostgreSQL for 10,000
 * concurrent jobs × 1-minute windows, through the meter's own write path (insertMeasuredRows: 5,000 rows
 * per INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT DO NOTHING RETURNING), then the same windows
 * written again (a re-run of the meter: every row conflicts, nothing is inserted). bench/README.md, "Ledger".
 *
 *   npm run bench:ledger                 human-readable
 *   npm run bench:ledger -- --json       {"rowsPerSec":…,"rows":…,"seconds":…,"rerunRowsPerSec":…}
 *   options: --jobs 10000 --windows 10 --writers 4 (the meter meters 4 clusters at once by default)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openDatabase, writeGridSeed } from '../src/store/index.js';
import { insertMeasuredRows, type MeasuredRow } from '../src/store/repositories/metering-ledger.js';
import { meteringGrid } from '../test/helpers/metering-grid.js';
import { createTestDatabase } from '../test/helpers/postgres-template.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

const json = process.argv.includes('--json');

/** CPU seconds (user + system) used so far by the PostgreSQL backends serving the bench database (from /proc). */
function backendCpuSeconds(database: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // A backend's title: "postgres: [<cluster>: ]<user> <database> <client> <state>" (Debian adds "15/main: ").
      if (!new RegExp(`^postgres: (\\S+: )?\\S+ ${database} `).test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100; // USER_HZ
}

const JOBS = arg('jobs', 10_000);
const WINDOWS = arg('windows', 10);
const WRITERS = arg('writers', 4);
const MIN = 60_000;

const database = await createTestDatabase();
const opened = await openDatabase({ url: database.url, poolSize: WRITERS + 1 });
try {
  const db = opened.db;
  const grid = meteringGrid();
  await writeGridSeed(db, grid.seed);
  const pools = grid.seed.pools;
  const jobIds = Array.from({ length: JOBS }, (_, i) => `j-bench-${String(i).padStart(6, '0')}`);
  const start = Math.floor(Date.now() / MIN) * MIN - (WINDOWS + 5) * MIN;
  for (let i = 0; i < JOBS; i += 2_000) {
    await db
      .insertInto('jobs')
      .values(
        jobIds.slice(i, i + 2_000).map((id, k) => {
          const pool = pools[(i + k) % pools.length]!;
          return {
            id, institution_id: grid.institution, project_id: grid.project, user_id: grid.user, spec: JSON.stringify({ name: id }), gpu_types: [pool.gpuType],
            nodes: 1, gpus_per_node: 1, walltime_seconds: 86_400, qos: 'normal' as const, state: 'running' as const,
            submitted_at: new Date(start), started_at: new Date(start), cluster_id: pool.clusterId, pool_id: pool.id,
          };
        }),
      )
      .execute();
  }

  /** Every job's row for window `w`: what one metering pass writes for one 1-minute window of the grid. */
  const windowRows = (w: number): MeasuredRow[] =>
    jobIds.map((jobId, k) => {
      const pool = pools[k % pools.length]!;
      return {
        jobId, clusterId: pool.clusterId, institutionId: grid.institution, projectId: grid.project, userId: grid.user, gpuType: pool.gpuType,
        windowStart: start + w * MIN, windowEnd: start + (w + 1) * MIN, gpuSeconds: 60, efficiency: 0.85,
      };
    });

  /** Write every window, `WRITERS` windows at a time (the meter meters clusters concurrently). */
  const pass = async (): Promise<{ inserted: number; seconds: number }> => {
    let next = 0;
    let inserted = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let w = next++; w < WINDOWS; w = next++) {
          // Not `inserted += await …`: that reads `inserted` before the await and loses the other writer's rows.
          const n = (await insertMeasuredRows(db, windowRows(w))).length;
          inserted += n;
        }
      }),
    );
    return { inserted, seconds: (performance.now() - t0) / 1000 };
  };

  const rows = JOBS * WINDOWS;
  const [cpu0, self0] = [backendCpuSeconds(database.name), process.cpuUsage()];
  const first = await pass();
  const [pgCpu, selfCpu] = [backendCpuSeconds(database.name) - cpu0, process.cpuUsage(self0)];
  if (first.inserted !== rows) throw new Error(`inserted ${first.inserted} rows, expected ${rows}`);
  const again = await pass();
  if (again.inserted !== 0) throw new Error(`a re-run inserted ${again.inserted} rows; it must insert none`);
  const stored = await db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  if (Number(stored.n) !== rows) throw new Error(`the ledger holds ${stored.n} rows, expected ${rows}`);

  const result = {
    rowsPerSec: Math.round(rows / first.seconds),
    rows,
    seconds: Math.round(first.seconds * 100) / 100,
    rerunRowsPerSec: Math.round(rows / again.seconds),
    // CPU per row of the bench database's PostgreSQL backends and of this process.
    postgresCpuUsPerRow: Math.round((pgCpu / rows) * 1e6 * 10) / 10,
    benchCpuUsPerRow: Math.round(((selfCpu.user + selfCpu.system) / rows) * 10) / 10,
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`ledger: ${JOBS} jobs × ${WINDOWS} one-minute windows = ${rows} rows, ${WRITERS} writers, load average ${loadavg()[0]!.toFixed(1)}\n`);
    process.stdout.write(`  first write  ${result.rowsPerSec} rows/s (${result.seconds} s)\n`);
    process.stdout.write(`  re-run       ${result.rerunRowsPerSec} rows/s checked, 0 inserted\n`);
    process.stdout.write(`  CPU per row  PostgreSQL ${result.postgresCpuUsPerRow} µs, this process ${result.benchCpuUsPerRow} µs\n`);
  }
} finally {
  await opened.close();
  await database.drop();
}
