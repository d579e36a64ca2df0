/**
 * Prometheus for tests. The shared instance (`scripts/services.sh up prometheus`, 1 s scrapes) takes
 * targets from file_sd files, so a test adds its exporter by writing a file and removes it by deleting it.
 * Tests that must stop Prometheus, or that need back-filled history, start a private instance of the same
 * binary on their own port and data directory, and stop exactly the process they started.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireService, type ServiceGate } from './require-service.js';

/** The shared instance. */
export const PROMETHEUS_URL = process.env.NCG_PROMETHEUS_URL ?? `http://127.0.0.1:${process.env.NCG_PROMETHEUS_PORT ?? '9090'}`;
/** Where the shared instance reads dcgm targets from. */
export const DCGM_TARGETS_DIR = join(process.env.NCG_PROMETHEUS_BASE ?? '/var/lib/ncg-ci/prometheus', 'targets', 'dcgm');

/** Probe the shared Prometheus (skips loudly, or fails under NCG_REQUIRE_SERVICES=1). */
export function prometheusGate(): Promise<ServiceGate> {
  return requireService('prometheus', async () => {
    const res = await fetch(`${PROMETHEUS_URL}/-/ready`, { signal: AbortSignal.timeout(3_000) });
    if (!res.ok) throw new Error(`${PROMETHEUS_URL}/-/ready answered ${res.status}`);
  });
}

/** file_sd entries for a sim exporter: one target per cluster path, labelled with its cluster id. */
export function simTargets(exporterPort: number, clusterIds: readonly string[]): object[] {
  return clusterIds.map((id) => ({ targets: [`127.0.0.1:${exporterPort}`], labels: { __metrics_path__: `/metrics/${id}`, ncg_cluster: id } }));
}

/** Write a file_sd file atomically (Prometheus must never read half a file); returns its remover. */
export function writeTargetFile(dir: string, name: string, entries: object[]): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, JSON.stringify(entries));
  renameSync(tmp, path);
  return () => rmSync(path, { force: true });
}

/** Where the shared instance reads ncg server targets from. */
export const NCG_TARGETS_DIR = join(process.env.NCG_PROMETHEUS_BASE ?? '/var/lib/ncg-ci/prometheus', 'targets', 'ncg');

/** Wait until every target whose `label` is one of `clusterIds` is up on `url` (new targets take ~5 s). */
export async function waitForTargetsUp(url: string, clusterIds: readonly string[], timeoutMs = 30_000, label = 'ncg_cluster'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: { labels: Record<string, string>; health: string }[] } };
      const ours = body.data.activeTargets.filter((t) => clusterIds.includes(t.labels[label] ?? ''));
      last = JSON.stringify(ours.map((t) => [t.labels[label], t.health]));
      if (ours.length === clusterIds.length && ours.every((t) => t.health === 'up')) return;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`targets ${clusterIds.join(', ')} not up on ${url} within ${timeoutMs} ms: ${last}`);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A Prometheus process this test owns. */
export class PrivatePrometheus {
  readonly url: string;
  private child: ChildProcess | undefined;

  constructor(readonly dir: string, readonly port: number, private readonly config: string) {
    this.url = `http://127.0.0.1:${port}`;
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'prometheus.yml'), config);
  }

  /** Start (or start again, on the same data) and wait until ready. */
  async start(): Promise<void> {
    const args = [`--config.file=${join(this.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(this.dir, 'data')}`, `--web.listen-address=127.0.0.1:${this.port}`, '--web.enable-lifecycle', '--web.enable-admin-api', '--log.level=warn'];
    this.child = spawn('prometheus', args, { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode} (${this.dir})`);
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private prometheus on ${this.url} not ready within 20 s`);
  }

  /** Stop the process we started (SIGTERM, so the WAL is closed cleanly) and wait for it. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stop and delete the data directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Back-fill OpenMetrics text (with explicit timestamps) into a data directory, before Prometheus starts on it. */
export async function backfillOpenMetrics(omFile: string, dataDir: string): Promise<void> {
  await promisify(execFile)('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', omFile, dataDir], { timeout: 60_000 });
}
