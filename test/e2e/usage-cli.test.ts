/**
 * `ncg usage` and `ncg meter run` as an operator runs them (`node bin/ncg.js …` in a child process):
 * usage of an institution by day as CSV, the table with its allocation budget and discrepancies, and an
 * on-demand metering run against a Prometheus that does not answer (windows pending, estimates, exit 1).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';
import { nationalGridSeed } from '../../src/seed/national-grid.js';
import { recordDiscrepancies } from '../../src/store/repositories/metering-discrepancies.js';
import { insertMeasuredRows } from '../../src/store/repositories/metering-ledger.js';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'ncg-e2e-usage-'));
const SLOW = 240_000;
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
let ncg: RunningNcg | undefined;
let url = '';

// bin/ncg.js runs dist/ when it is newer than src/, else the same entry from source through tsx.
const entry = (() => {
  const built = join(root, 'dist', 'cli', 'main.js');
  const stale = existsSync(built) && statSync(built).mtimeMs < statSync(join(root, 'src', 'cli', 'commands', 'usage.ts')).mtimeMs;
  return stale ? ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')] : [join(root, 'bin', 'ncg.js')];
})();

function ncgCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...entry, ...args], { cwd: root, env: { ...process.env, NCG_URL: url, NCG_DATA_DIR: dataDir, NCG_TOKEN: '' }, timeout: SLOW }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const seed = nationalGridSeed();
const institution = seed.institutions[0]!;
const project = seed.projects.find((p) => p.institutionId === institution.id)!;
const user = seed.users.find((u) => u.institutionId === institution.id)!;
const pool = seed.pools[0]!;

beforeAll(async () => {
  const overrides = { dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.host': '127.0.0.1', 'grpc.port': '0', 'log.level': 'silent' };
  ncg = await startNcg(loadConfig({ overrides, env: {} }), createLogger('silent'));
  url = `http://127.0.0.1:${ncg.http.port}`;
  const db = ncg.database.db;
  const spec = { name: 'e2e', projectId: project.id, gpuTypes: [pool.gpuType], nodes: 1, gpusPerNode: 2, cpusPerNode: 8, memoryGbPerNode: 64, walltimeSeconds: 7200, qos: 'normal' };
  await db.insertInto('jobs').values({
    id: 'j-e2e-usage', institution_id: institution.id, project_id: project.id, user_id: user.id, spec: JSON.stringify(spec), gpu_types: [pool.gpuType], nodes: 1, gpus_per_node: 2,
    walltime_seconds: 7200, qos: 'normal', state: 'succeeded', submitted_at: new Date(today - 2 * DAY), started_at: new Date(today - 2 * DAY), ended_at: new Date(today - DAY + 3_600_000), cluster_id: pool.clusterId, pool_id: pool.id,
  }).execute();
  const row = (start: number, gpuSeconds: number) => ({ jobId: 'j-e2e-usage', clusterId: pool.clusterId, institutionId: institution.id, projectId: project.id, userId: user.id, gpuType: pool.gpuType, windowStart: start, windowEnd: start + 3_600_000, gpuSeconds });
  await insertMeasuredRows(db, [row(today - 2 * DAY, 7200), row(today - DAY, 3600)]);
  await recordDiscrepancies(db, [{ clusterId: pool.clusterId, windowStart: today - DAY, windowEnd: today - DAY + 60_000, kind: 'unknown-job', ref: 'local-17', gpuSeconds: 90 }]);
}, 180_000);

afterAll(async () => {
  await ncg?.close();
});

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('ncg usage', () => {
  it('prints the institution’s GPU-hours by day as CSV', async () => {
    const r = await ncgCli(['usage', '--institution', institution.id, '--from', day(today - 7 * DAY), '--to', day(today + DAY), '--output', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`day,gpu_hours,gpu_seconds,measured_gpu_seconds,estimated_gpu_seconds\n${day(today - 2 * DAY)},2,7200,7200,0\n${day(today - DAY)},1,3600,3600,0\n`);
  }, SLOW);

  it('prints a table with the allocation budget, and the discrepancies', async () => {
    const r = await ncgCli(['usage', '--institution', institution.id, '--from', day(today - 7 * DAY), '--discrepancies']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/DAY\s+GPU-HOURS\s+MEASURED\s+ESTIMATED/);
    expect(r.stdout).toMatch(/total\s+3\.000\s+3\.000\s+0\.000/);
    expect(r.stdout).toMatch(/allocation \S+: 3\.000 of \d+ GPU-hours used/);
    expect(r.stdout).toMatch(new RegExp(`discrepancy: unknown-job local-17 on ${pool.clusterId}, 0\\.025 GPU-h`));
  }, SLOW);
});

describe('ncg meter run', () => {
  it('with Prometheus unreachable: windows pending with estimates, the reason on stderr, exit 1', async () => {
    await ncg?.close();
    ncg = undefined;
    const r = await ncgCli(['meter', 'run', '--data-dir', dataDir, '--from', new Date(today - 10 * 60_000).toISOString(), '--to', new Date(today).toISOString(), '--cluster', pool.clusterId, '--prometheus-url', 'http://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/0 windows measured, 10 pending/);
    expect(r.stderr).toMatch(new RegExp(`ncg: ${pool.clusterId}: Prometheus at http://127.0.0.1:1 is unavailable`));
    expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').length).toBeGreaterThan(0);
  }, SLOW);
});
