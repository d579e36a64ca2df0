/**
 * An ncg server for the federation end-to-end tests: the national seed (13 sim clusters, 150 institutions)
 * plus the `clusters:` entries a test passes, written to a YAML config file the way an operator would and
 * started with startNcg. On the real PostgreSQL (an empty clone, seeded at start) where it is available —
 * PGlite's first start takes 15–45 s on a loaded machine — and on PGlite otherwise
 * (NCG_E2E_DATABASE=pglite forces it). Also: REST calls as the national admin, waits on job states, the
 * ledger's allocation GPU-seconds of a job, and the `ncg` CLI run against the server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';
import { postgresGate } from './db.js';
import { createTestDatabase } from './postgres-template.js';

const run = promisify(execFile);

/** A job as GET /v1/jobs/:id shows it (the fields these tests read). */
export interface JobBody {
  id: string;
  state: string;
  cluster?: string;
  pool?: string;
  nodeNames?: string[];
  exitCode?: number;
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  spec: { nodes: number; gpusPerNode: number };
  pending?: { reason: string; message: string };
}

/** A started server and what the tests do with it. */
export interface FederatedServer {
  ncg: RunningNcg;
  url: string;
  token: string;
  dataDir: string;
  database: 'PostgreSQL' | 'PGlite';
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Start ncg with the national seed, sim speed 1 and one-second cycles, plus `clusters`. */
export async function startFederatedServer(clusters: Record<string, unknown>[]): Promise<FederatedServer> {
  const usePostgres = process.env.NCG_E2E_DATABASE !== 'pglite' && (await postgresGate()).available;
  const pg = usePostgres ? await createTestDatabase({ empty: true }) : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'ncg-e2e-fed-'));
  const configFile = join(dataDir, 'ncg.yaml');
  // Federated clusters run on wall time, so the sim clusters must too (speed 1); cycles every second keep
  // the status of polled clusters (Slurm) close to what the cluster reports.
  writeFileSync(configFile, stringify({ sim: { speed: 1 }, scheduler: { intervalSeconds: 1 }, clusters }));
  // Port 0 for REST and gRPC: other servers (other test files, a developer's ncg) may hold the defaults.
  const overrides: Record<string, string> = {
    dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.host': '127.0.0.1', 'grpc.port': '0', 'log.level': process.env.NCG_E2E_LOG ?? 'silent',
  };
  if (pg) overrides['database.url'] = pg.url;
  const config = loadConfig({ configFile, overrides, env: {} });
  let ncg: RunningNcg;
  try {
    ncg = await startNcg(config, createLogger(config.log.level));
  } catch (e) {
    await pg?.drop();
    throw e;
  }
  const url = `http://127.0.0.1:${ncg.http.port}`;
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return {
    ncg, url, token, dataDir, database: pg ? 'PostgreSQL' : 'PGlite', call,
    async close() {
      await ncg.close();
      await pg?.drop();
    },
  };
}

/** Submit a job over REST; fails the test unless the server answers 201. */
export async function submitJob(server: FederatedServer, body: Record<string, unknown>): Promise<JobBody> {
  const res = await server.call('POST', '/v1/jobs', body);
  if (res.status !== 201) throw new Error(`POST /v1/jobs ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as JobBody;
}

/** Poll GET /v1/jobs/:id every 200 ms until its state is one of `states`; fail with the last view after `timeoutMs`. */
export async function waitForJob(server: FederatedServer, id: string, states: readonly string[], timeoutMs = 60_000): Promise<JobBody> {
  const deadline = Date.now() + timeoutMs;
  let last: JobBody | undefined;
  for (;;) {
    last = (await server.call('GET', `/v1/jobs/${id}`)).body as JobBody;
    if (states.includes(last.state)) return last;
    if (Date.now() > deadline) throw new Error(`job ${id} did not reach ${states.join('/')} within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GPU-seconds the control loop charged a job (allocation-source ledger rows) and how many rows. */
export async function allocationGpuSeconds(server: FederatedServer, jobId: string): Promise<{ gpuSeconds: number; rows: number }> {
  const r = await sql<{ s: number | null; n: number }>`
    select sum(gpu_seconds)::int as s, count(*)::int as n from ledger_entries where job_id = ${jobId} and source = 'allocation'`.execute(server.ncg.database.db);
  return { gpuSeconds: r.rows[0]?.s ?? 0, rows: r.rows[0]?.n ?? 0 };
}

/** Run time of a finished job as the store recorded it (its cluster's start and end), seconds. */
export function runSeconds(job: JobBody): number {
  if (!job.startedAt || !job.endedAt) throw new Error(`job ${job.id} has no start or end: ${JSON.stringify(job)}`);
  return (Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000;
}

/**
 * Run the `ncg` command against the server (NCG_URL, NCG_TOKEN). Asynchronously: the server answering it
 * lives in this process. From the TypeScript source through tsx, because bin/ncg.js prefers a built
 * dist/ that may be older than the checkout.
 */
export async function ncgCli(server: FederatedServer, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, NCG_URL: server.url, NCG_TOKEN: server.token },
    timeout: 60_000,
  });
  return stdout;
}
