/**
 * The real test Slurm started by `scripts/services.sh up slurm`: how to reach it, the gate that skips (or,
 * under NCG_REQUIRE_SERVICES=1, fails) its suites when it is absent, adapter configs, job specs, and a view
 * of Slurm's jobs that does not go through the adapter (to count jobs per key without trusting it).
 *
 * Test cluster: partition a100 = node1, node2 (4 × a100 each); partition h100 = node3, node4 (4 × h100 each).
 * The contract suite uses a100; the Slurm-specific suites use h100, so files can run side by side.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import type { AdapterHarness, ContractJobShape } from '../../helpers/adapter-contract.js';
import { lockResources } from '../../helpers/resource-lock.js';
import { requireService } from '../../helpers/require-service.js';
import { createSlurmAdapter, mintSlurmJwt, type SlurmAdapterDeps, type SlurmClusterConfigInput } from '../../../src/adapters/slurm/index.js';
import type { JobSpec } from '../../../src/domain/types.js';

const run = promisify(execFile);

/** Where the services script put things (overridable like the script itself). */
export const slurmBase = process.env.NCG_SLURM_BASE ?? '/var/lib/ncg-ci/slurm';
export const slurmRestPort = Number(process.env.NCG_SLURMRESTD_PORT ?? 6820);
export const slurmUrl = `http://127.0.0.1:${slurmRestPort}`;
export const jwtKeyFile = `${slurmBase}/jwt_hs256.key`;

/** A root token minted from the cluster's key, for direct REST calls. */
export function rootToken(lifespanSeconds = 600, nowSeconds = Date.now() / 1000): string {
  return mintSlurmJwt(readFileSync(jwtKeyFile), 'root', nowSeconds, lifespanSeconds);
}

/** GET a slurmrestd path as root, bypassing the adapter. */
export async function slurmGet(path: string, url = slurmUrl): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { headers: { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': rootToken() }, signal: AbortSignal.timeout(5_000) });
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Probe once per test file (at its top level): slurmrestd answers a ping with a token minted from the key.
 * When it does, the file holds the `partitions` it drives for all its tests (a file-level beforeAll that
 * waits for them, released afterAll): suites that pin jobs to the same nodes or assert their free GPUs
 * would otherwise see each other's jobs when vitest runs them in parallel workers.
 */
export async function slurmGate(opts: { partitions: readonly ('a100' | 'h100')[] }) {
  const gate = await requireService('slurm', async () => {
    const body = await slurmGet('/slurm/v0.0.38/ping').catch((e: Error & { cause?: { code?: string } }) => {
      throw new Error(`slurmrestd at ${slurmUrl} (key ${jwtKeyFile}): ${e.cause?.code ?? e.message}`);
    });
    const pings = body.pings as { ping?: string }[] | undefined;
    if (!pings?.some((p) => p.ping === 'UP')) throw new Error(`slurmctld not UP: ${JSON.stringify(body.errors ?? body)}`);
  });
  if (gate.available) {
    let release: (() => void) | undefined;
    beforeAll(async () => {
      release = await lockResources(opts.partitions.map((p) => `slurm-partition-${p}`), PARTITION_WAIT_MS);
    }, PARTITION_WAIT_MS + 5_000);
    afterAll(() => release?.());
  }
  return gate;
}

/** How long a suite waits for another to finish with its partitions (the longest Slurm suite runs ~3 min). */
const PARTITION_WAIT_MS = 10 * 60_000;

/** Raw Slurm job records whose comment carries `key` (what the adapter wrote), straight from slurmrestd. */
export async function slurmJobsWithKey(key: string): Promise<Record<string, unknown>[]> {
  const body = await slurmGet('/slurm/v0.0.38/jobs');
  const needle = `ncg-key=${encodeURIComponent(key)}`;
  return (body.jobs as Record<string, unknown>[]).filter((j) => String(j.comment ?? '').split(/\s+/).includes(needle));
}

/** Run `scripts/services.sh <cmd> <service>` (e.g. to kill and restart a slurmrestd instance). */
export async function services(cmd: 'up' | 'down' | 'restart', service: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('bash', ['scripts/services.sh', cmd, service], { env: { ...process.env, ...env }, timeout: 60_000 });
  return stdout;
}

/** Run scontrol (drain/resume nodes). */
export async function scontrol(...args: string[]): Promise<string> {
  const { stdout } = await run('timeout', ['10', 'scontrol', ...args]);
  return stdout;
}

/** The adapter config of the test cluster; institution `inst-bob` runs as ncg-bob, everyone else as ncg-alice. */
export function testClusterConfig(overrides: Partial<SlurmClusterConfigInput> = {}): SlurmClusterConfigInput {
  return {
    url: slurmUrl,
    auth: { jwtKeyFile, user: 'root', lifespanSeconds: 600 },
    accounts: {
      default: { account: 'research', user: 'ncg-alice', workdir: `${slurmBase}/work/ncg-alice` },
      institutions: { 'inst-bob': { account: 'physics', user: 'ncg-bob', workdir: `${slurmBase}/work/ncg-bob` } },
      users: {},
    },
    workdirRoot: `${slurmBase}/work`,
    requestTimeoutSeconds: 5,
    backoff: { initialSeconds: 0.5, maxSeconds: 5 },
    ...overrides,
  };
}

/** An adapter on the test cluster. */
export function testAdapter(overrides: Partial<SlurmClusterConfigInput> = {}, deps: SlurmAdapterDeps = {}) {
  return createSlurmAdapter('slurm-ci', testClusterConfig(overrides), deps);
}

/** A job that runs `script` with bash, on the given GPUs. */
export function scriptJob(script: string, opts: { gpuType: string; nodes?: number; gpusPerNode?: number; walltimeSeconds?: number }): JobSpec {
  return {
    name: 'slurm-test',
    projectId: 'proj-slurm',
    gpuTypes: [opts.gpuType],
    nodes: opts.nodes ?? 1,
    gpusPerNode: opts.gpusPerNode ?? 1,
    cpusPerNode: 1,
    memoryGbPerNode: 1,
    walltimeSeconds: opts.walltimeSeconds ?? 600,
    qos: 'normal',
    command: ['bash', '-c', script],
  };
}

/** Poll `probe` every 250 ms until it gives a truthy value; fail naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Contract jobs as scripts: `quick` lives long enough to be seen running; `overrun` outlives a 1-minute limit. */
function contractSpec(shape: ContractJobShape): JobSpec {
  const opts = { gpuType: shape.gpuType, nodes: shape.nodes, gpusPerNode: shape.gpusPerNode };
  switch (shape.behaviour) {
    case 'quick':
      return scriptJob('sleep 4', opts);
    case 'fail':
      return scriptJob(`sleep 1; exit ${shape.exitCode ?? 1}`, opts);
    case 'long':
      return scriptJob('sleep 3600', { ...opts, walltimeSeconds: 3600 });
    case 'overrun':
      // Slurm limits are whole minutes and checked every 30 s: killed 60–90 s after start.
      return scriptJob('sleep 600', { ...opts, walltimeSeconds: 60 });
  }
}

/** Harness for the shared contract suite on partition a100; waits until the partition is idle again. */
export async function slurmContractHarness(): Promise<AdapterHarness> {
  const adapter = testAdapter();
  await waitFor(async () => {
    const pool = (await adapter.inventory()).pools.find((p) => p.name === 'a100');
    return pool?.nodes.every((n) => n.healthy && n.freeGpus === n.totalGpus);
  }, 'partition a100 to be idle', 60_000);
  return {
    adapter,
    jobSpec: contractSpec,
    waitFor: (probe, what) => waitFor(probe, what, 120_000),
    poolName: 'a100',
    expectedPools: [
      { name: 'a100', gpuType: 'a100', nodes: 2, gpusPerNode: 4 },
      { name: 'h100', gpuType: 'h100', nodes: 2, gpusPerNode: 4 },
    ],
    close: () => adapter.close(),
  };
}
