/**
 * The `ncg` user commands as a researcher runs them: `node bin/ncg.js …` in a child process against a
 * server started here (embedded database, seeded national grid, sim clusters at high speed, port 0).
 * Submit returns an id, watch follows it to `succeeded` (exit 0) or to a failure (exit 1), `job` names why
 * a job cannot run yet, errors exit non-zero with the server's message, and `-o json` parses.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos, serviceConstructor } from '../../src/api/grpc/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'ncg-e2e-cli-'));
// Processes start slowly on a busy machine (each loads the CLI from source); allow for it.
const SLOW = 240_000;
let ncg: RunningNcg;
let url: string;
let token: string;

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * bin/ncg.js runs dist/ when it exists. A dist/ older than src/ would be yesterday's CLI, so then the same
 * entry runs from source through tsx (what bin/ncg.js does when there is no build).
 */
const entry = (() => {
  const built = join(root, 'dist', 'cli', 'main.js');
  const fresh = !existsSync(built) || statSync(built).mtimeMs >= newest(join(root, 'src'));
  return fresh ? [join(root, 'bin', 'ncg.js')] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
})();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `ncg …` (asynchronously: the server answering it lives in this process). */
function ncgCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...entry, ...args],
      { cwd: root, env: { ...process.env, NCG_URL: url, NCG_DATA_DIR: dataDir, NCG_TOKEN: '', NCG_PROJECT: '', ...env }, timeout: SLOW, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function rest(path: string): Promise<any> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return res.json();
}

/** Poll the job until `cond` holds (REST, so a slow CLI start does not count against the wait). */
async function until(id: string, cond: (job: any) => boolean, ms = 60_000): Promise<any> {
  const end = Date.now() + ms;
  for (;;) {
    const job = await rest(`/v1/jobs/${id}`);
    if (cond(job)) return job;
    if (Date.now() > end) throw new Error(`job ${id} never got there: ${JSON.stringify(job).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const submittedId = (r: Run) => /submitted job (j-\S+)/.exec(r.stdout)?.[1];

beforeAll(async () => {
  const overrides = {
    dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.host': '127.0.0.1', 'grpc.port': '0', 'log.level': 'silent',
    'sim.speed': '30', 'scheduler.intervalSeconds': '1',
  };
  ncg = await startNcg(loadConfig({ overrides, env: {} }), createLogger('silent'));
  url = `http://127.0.0.1:${ncg.http.port}`;
  token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}, 180_000);

afterAll(async () => {
  await ncg?.close();
});

describe('ncg submit, watch, job', () => {
  it('submits with a sim duration and watch follows the job to succeeded (exit 0); a failing job watches to exit 1', async () => {
    const [ok, bad] = await Promise.all([
      // No --project: the admin token's default project (GET /v1/me) is charged, and named.
      ncgCli(['submit', '--gpus', '2', '--gpu-type', 'any', '--walltime', '1h', '--name', 'demo', '--sim-duration', '30s', '--', 'python', 'train.py']),
      ncgCli(['submit', '--name', 'broken', '--project', 'numl-grid-load', '--walltime', '10m', '--sim-duration', '20s', '--sim-exit-code', '3', '--env', 'A=1', '--', 'false']),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^charging project \S+/m);
    const id = submittedId(ok)!;
    expect(id).toMatch(/^j-/);
    const badId = submittedId(bad)!;
    expect(bad.code).toBe(0);

    const [watched, watchedBad] = await Promise.all([ncgCli(['watch', id, '--interval', '0.2']), ncgCli(['watch', badId, '--interval', '0.2'])]);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/queued/);
    expect(watched.stdout).toMatch(/→ running/);
    expect(watched.stdout).toMatch(new RegExp(`job ${id} succeeded`));
    expect(watchedBad.code).toBe(1);
    expect(watchedBad.stdout).toMatch(new RegExp(`job ${badId} failed \\(exit code 3\\)`));

    const job = await rest(`/v1/jobs/${id}`);
    const me = await rest('/v1/me');
    expect(ok.stdout).toContain(`charging project ${me.defaultProject}`);
    expect(job.project).toBe(me.defaultProject);
    const whoami = await ncgCli(['whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/national-admin/);
    expect(whoami.stdout).toContain(`ncg submit charges ${me.defaultProject}`);
    expect(job).toMatchObject({ state: 'succeeded', name: 'demo', spec: { gpusPerNode: 2, command: ['python', 'train.py'], sim: { durationSeconds: 30 } } });
  }, SLOW * 2);

  it('`ncg job` of a job that cannot run yet names its reason and its place', async () => {
    // 40 nodes × 8 GPUs for 30 days: far beyond the institution's concurrent-GPU cap and hard budget.
    const r = await ncgCli(['submit', '--name', 'too-big', '--project', 'numl-glacier', '--nodes', '40', '--gpus', '8', '--gpu-type', 'h100-80gb', '--walltime', '30d', '--', 'python', 'big.py']);
    expect(r.code).toBe(0);
    const id = submittedId(r)!;
    const waiting = await until(id, (j) => j.pending?.seenByCycle === true);
    const [shown, queue] = await Promise.all([ncgCli(['job', id]), ncgCli(['queue', '-o', 'json'])]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^State\\s+queued$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^Pending\\s+${waiting.pending.reason} — `, 'm'));
    expect(waiting.pending.reason).not.toBe('NotYetScheduled');
    expect(shown.stdout).toContain('40 nodes × 8 GPUs (h100-80gb)');
    expect(shown.stdout).toMatch(/^Position\s+\d+ in the queue$/m);
    expect(shown.stdout).toMatch(/^Events/m);

    expect(JSON.parse(queue.stdout).items.map((j: { id: string }) => j.id)).toContain(id);
    const cancelled = await ncgCli(['cancel', id]);
    expect([cancelled.code, cancelled.stdout.trim()]).toEqual([0, `job ${id} is cancelled`]);
  }, SLOW * 2);

  it('submits from a YAML job file, flags overriding it', async () => {
    const file = join(dataDir, 'job.yaml');
    writeFileSync(file, 'name: from-file\nproject: numl-grid-load\ngpuType: a100-80gb\ngpusPerNode: 4\nwalltime: 2h\nenv:\n  EPOCHS: "3"\ncommand: [python, train.py]\n');
    const r = await ncgCli(['submit', '-f', file, '--gpus', '1', '-o', 'json']);
    expect(r.code).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job).toMatchObject({ name: 'from-file', spec: { gpuTypes: ['a100-80gb'], gpusPerNode: 1, walltimeSeconds: 7200, env: { EPOCHS: '3' } } });
  }, SLOW);
});

describe('ncg output and errors', () => {
  it('-o json parses for jobs, clusters and job; tables have their headers', async () => {
    const [jobs, clusters, table] = await Promise.all([ncgCli(['jobs', '-o', 'json', '--limit', '5']), ncgCli(['clusters', '-o', 'json']), ncgCli(['clusters'])]);
    expect(jobs.code).toBe(0);
    const page = JSON.parse(jobs.stdout);
    expect(page.items.length).toBeGreaterThan(0);
    const one = await ncgCli(['job', page.items[0].id, '--output', 'json']);
    expect(JSON.parse(one.stdout).id).toBe(page.items[0].id);
    expect(JSON.parse(clusters.stdout).items.length).toBe(13);
    expect(table.stdout).toMatch(/^CLUSTER\s+SITE\s+KIND\s+STATE\s+POOL\s+GPU TYPE\s+NODES\s+FREE\/TOTAL$/m);
    expect(table.stdout).toMatch(/13 clusters, \d+\/2816 GPUs free/);
  }, SLOW);

  it('errors exit non-zero with the server’s message; an unreachable server and a missing token say so', async () => {
    const [missing, invalid, badToken, down, noToken, badFlag, noProject] = await Promise.all([
      ncgCli(['job', 'j-does-not-exist']),
      ncgCli(['submit', '--name', 'x', '--project', 'numl-grid-load', '--gpus', '0', '--', 'true']),
      ncgCli(['clusters'], { NCG_TOKEN: 'ncg_not-a-token' }),
      ncgCli(['jobs'], { NCG_URL: 'http://127.0.0.1:1' }),
      ncgCli(['jobs'], { NCG_DATA_DIR: join(dataDir, 'nowhere') }),
      ncgCli(['submit', '--gpus', 'two', '--project', 'p', '--', 'x']),
      // A CoE operator is a member of no project, so there is no default to charge.
      ncgCli(['submit', '--name', 'x', '--walltime', '1h', '--', 'true'], { NCG_TOKEN: readFileSync(join(dataDir, 'tokens', 'coe-operator.token'), 'utf8').trim() }),
    ]);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'ncg: job "j-does-not-exist" does not exist']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^ncg: job submission is not valid — .*gpusPerNode: .*walltime: /s);
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('check NCG_TOKEN');
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot reach the ncg server at http://127.0.0.1:1');
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('set NCG_TOKEN');
    expect([badFlag.code, badFlag.stderr.trim()]).toEqual([2, 'ncg: --gpus: expected a whole number, got "two"']);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toMatch(/--project is required: op-\S+ is a member of no project/);
  }, SLOW);
});

describe('the same server over gRPC', () => {
  it('serves health and JobService next to REST: a job submitted over gRPC is the one `ncg job` shows', async () => {
    const protos = loadProtos();
    const target = `127.0.0.1:${ncg.grpc.port}`;
    const health = new (serviceConstructor(protos, 'grpc.health.v1.Health'))(target, grpc.credentials.createInsecure());
    const jobs = new (serviceConstructor(protos, 'ncg.v1.JobService'))(target, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    const unary = (client: grpc.Client, method: string, req: unknown, meta = new grpc.Metadata()) =>
      new Promise<any>((resolve, reject) => (client as any)[method](req, meta, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
    try {
      expect(await unary(health, 'Check', { service: 'ncg.v1.JobService' })).toEqual({ status: 'SERVING' });
      const { job } = await unary(jobs, 'Submit', { name: 'over-grpc', project: 'numl-grid-load', walltime: '1h', gpus_per_node: 1, command: ['true'], sim: { duration_seconds: 5 } }, md);
      const shown = await ncgCli(['job', job.id, '-o', 'json']);
      expect(JSON.parse(shown.stdout)).toMatchObject({ id: job.id, name: 'over-grpc', project: 'numl-grid-load' });
    } finally {
      health.close();
      jobs.close();
    }
  }, SLOW);
});
