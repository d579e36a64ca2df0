/**
 * Issue 5 end to end: the ncg server with the national sim grid and one real Slurm cluster (the test Slurm
 * of `scripts/services.sh up slurm`: partitions a100 = node1-2, h100 = node3-4, 4 GPUs per node) as a
 * `kind: slurm` entry of its config. `GET /v1/clusters` and `ncg clusters` show the Slurm cluster with the
 * real nodes' GPUs; jobs submitted over REST (and with `ncg submit`) for the Slurm GPU types — `a100` and
 * `h100`, which no sim pool has (those are `a100-80gb`, `h100-80gb`, …) — run on real Slurm and end in
 * the right states; the ledger's GPU-seconds match GPUs × Slurm's own run times; no job reaches Slurm
 * twice. Skips loudly without slurmrestd; fails under NCG_REQUIRE_SERVICES=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { decodeJobComment } from '../../src/adapters/slurm/job-comment.js';
import { allocationGpuSeconds, ncgCli, runSeconds, startFederatedServer, submitJob, waitForJob, type FederatedServer, type JobBody } from '../helpers/federation-server.js';
import { jwtKeyFile, slurmBase, slurmGate, slurmGet, slurmUrl } from '../integration/slurm/slurm-harness.js';

const gate = await slurmGate({ partitions: ['a100', 'h100'] });
const CLUSTER = 'coe-islamabad-slurm';
const ENDED = ['succeeded', 'failed', 'cancelled'];
/** Small per-node requests: the test nodes have 16 CPUs and 64,000 MB, and other suites share them. */
const SMALL = { cpusPerNode: 1, memoryGbPerNode: 1, walltime: '10m' };

/** The cluster entry as an operator writes it (docs/slurm.md §3): NUST runs as ncg-bob, everyone else as ncg-alice. */
const slurmEntry = {
  id: CLUSTER,
  site: 'coe-islamabad',
  name: 'CoE Islamabad — Slurm (test cluster)',
  kind: 'slurm',
  slurm: {
    url: slurmUrl,
    auth: { jwtKeyFile, user: 'root', lifespanSeconds: 600 },
    accounts: {
      // Accounting is off on the test Slurm (AccountingStorageType=none), so any account string is accepted.
      default: { account: 'research', user: 'ncg-alice', workdir: `${slurmBase}/work/ncg-alice` },
      institutions: { nust: { account: 'nust', user: 'ncg-bob', workdir: `${slurmBase}/work/ncg-bob` } },
    },
    workdirRoot: `${slurmBase}/work`,
    pollIntervalSeconds: 1,
    requestTimeoutSeconds: 5,
    backoff: { initialSeconds: 0.5, maxSeconds: 5 },
  },
};

/** Slurm's own records of an ncg job (by the job id in the comment), straight from slurmrestd. */
async function slurmRecords(jobId: string): Promise<Record<string, any>[]> {
  const body = await slurmGet('/slurm/v0.0.38/jobs');
  return (body.jobs as Record<string, any>[]).filter((j) => decodeJobComment(String(j.comment ?? ''))?.jobId === jobId);
}

/** The only Slurm job of an ncg job, checked to carry the store's dispatch key (one key, one Slurm job). */
async function theSlurmJob(server: FederatedServer, jobId: string): Promise<Record<string, any>> {
  const records = await slurmRecords(jobId);
  expect(records, `Slurm jobs for ${jobId}`).toHaveLength(1);
  const key = (await sql<{ dispatch_key: string }>`select dispatch_key from jobs where id = ${jobId}`.execute(server.ncg.database.db)).rows[0]?.dispatch_key;
  expect(decodeJobComment(records[0]!.comment)?.idempotencyKey).toBe(key);
  return records[0]!;
}

/** GPU-seconds charged for a finished job equal GPUs × its run time (whole seconds from Slurm: exact). */
async function expectCharged(server: FederatedServer, job: JobBody, slurm: Record<string, any>): Promise<number> {
  const gpus = job.spec.nodes * job.spec.gpusPerNode;
  const charged = await allocationGpuSeconds(server, job.id);
  expect(charged.rows).toBeGreaterThanOrEqual(1);
  expect(charged.gpuSeconds).toBe(Math.round(gpus * runSeconds(job)));
  expect(Math.abs(charged.gpuSeconds - gpus * (slurm.end_time - slurm.start_time))).toBeLessThanOrEqual(gpus);
  return charged.gpuSeconds;
}

describe.runIf(gate.available)('ncg federating a real Slurm cluster', () => {
  let server: FederatedServer;
  let nustProject: string;
  let otherProject: string;

  beforeAll(async () => {
    const t0 = performance.now();
    server = await startFederatedServer([slurmEntry]);
    const projects = (await sql<{ id: string; institution_id: string }>`select id, institution_id from projects order by id`.execute(server.ncg.database.db)).rows;
    nustProject = projects.find((p) => p.institution_id === 'nust')!.id;
    otherProject = projects.find((p) => p.institution_id === 'qau')!.id;
    console.log(`slurm federation: server up on ${server.database} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('GET /v1/clusters and ncg clusters show the Slurm cluster with its partitions and the nodes’ GPUs, next to the sim grid', { timeout: 120_000 }, async () => {
    const { body } = await server.call('GET', '/v1/clusters');
    const slurm = body.items.find((c: { id: string }) => c.id === CLUSTER);
    expect(slurm, JSON.stringify(body.items.map((c: { id: string }) => c.id))).toMatchObject({ kind: 'slurm', siteId: 'coe-islamabad', state: 'active', reachable: true, totalGpus: 16 });
    expect(slurm.pools.map((p: Record<string, unknown>) => [p.name, p.gpuType, p.nodes, p.gpusPerNode, p.totalGpus])).toEqual([
      ['a100', 'a100', 2, 4, 8],
      ['h100', 'h100', 2, 4, 8],
    ]);
    expect(body.items.filter((c: { kind: string }) => c.kind === 'sim')).toHaveLength(13);

    const out = await ncgCli(server, ['clusters']);
    console.log(`ncg clusters (Slurm rows):\n${out.split('\n').filter((l) => l.startsWith('CLUSTER') || l.startsWith(CLUSTER)).join('\n')}`);
    expect(out).toMatch(new RegExp(`^${CLUSTER}\\s+Islamabad\\s+slurm\\s+active\\s+a100\\s+a100\\s+2×4\\s+\\d/8\\s*$`, 'm'));
    expect(out).toMatch(new RegExp(`^${CLUSTER}\\s+Islamabad\\s+slurm\\s+active\\s+h100\\s+h100\\s+2×4\\s+\\d/8\\s*$`, 'm'));
  });

  it('jobs over REST run on Slurm: success, exit 3, a 2-node gang, a cancel — right states, GPU-seconds, one Slurm job each', { timeout: 120_000 }, async () => {
    const t0 = performance.now();
    const [ok, exit3, gang, long] = await Promise.all([
      submitJob(server, { name: 'e2e-ok', project: nustProject, gpuType: 'h100', gpusPerNode: 2, command: ['bash', '-c', 'sleep 3'], ...SMALL }),
      submitJob(server, { name: 'e2e-exit3', project: otherProject, gpuType: 'h100', script: '#!/bin/bash\nsleep 1\nexit 3\n', ...SMALL }),
      submitJob(server, { name: 'e2e-gang', project: otherProject, gpuType: 'a100', nodes: 2, gpusPerNode: 2, command: ['sleep', '3'], ...SMALL }),
      submitJob(server, { name: 'e2e-cancel', project: nustProject, gpuType: 'h100', command: ['sleep', '300'], ...SMALL }),
    ]);

    const running = await waitForJob(server, long.id, ['running', ...ENDED]);
    expect(running).toMatchObject({ state: 'running', cluster: CLUSTER, pool: `${CLUSTER}-h100` });
    const cancel = await server.call('DELETE', `/v1/jobs/${long.id}`);
    expect(cancel.body.state).toBe('cancelled');

    const done = {
      ok: await waitForJob(server, ok.id, ENDED),
      exit3: await waitForJob(server, exit3.id, ENDED),
      gang: await waitForJob(server, gang.id, ENDED),
      long: await waitForJob(server, long.id, ENDED),
    };
    expect(done.ok).toMatchObject({ state: 'succeeded', exitCode: 0, cluster: CLUSTER, pool: `${CLUSTER}-h100` });
    expect(done.exit3).toMatchObject({ state: 'failed', exitCode: 3, cluster: CLUSTER });
    expect(done.gang).toMatchObject({ state: 'succeeded', exitCode: 0, cluster: CLUSTER, pool: `${CLUSTER}-a100` });
    expect(done.gang.nodeNames!.slice().sort()).toEqual(['node1', 'node2']);
    expect(done.long.state).toBe('cancelled');

    // Slurm's own view: one job per ncg job, run as the mapped user and account, ending as ncg says.
    const raw = {
      ok: await theSlurmJob(server, ok.id),
      exit3: await theSlurmJob(server, exit3.id),
      gang: await theSlurmJob(server, gang.id),
      long: await theSlurmJob(server, long.id),
    };
    expect(raw.ok).toMatchObject({ job_state: 'COMPLETED', user_name: 'ncg-bob', account: 'nust', partition: 'h100', tres_per_node: 'gres:gpu:h100:2' });
    expect(raw.exit3).toMatchObject({ job_state: 'FAILED', user_name: 'ncg-alice', account: 'research', exit_code: 768 });
    expect(raw.gang).toMatchObject({ job_state: 'COMPLETED', partition: 'a100', node_count: 2, tres_per_node: 'gres:gpu:a100:2' });
    // The cancel reaches Slurm (at once, or by the loop's recheck of cancelled jobs).
    for (let i = 0; i < 40 && (await theSlurmJob(server, long.id)).job_state !== 'CANCELLED'; i++) await new Promise((r) => setTimeout(r, 250));
    expect((await theSlurmJob(server, long.id)).job_state).toBe('CANCELLED');

    // GPU-seconds: the ledger holds GPUs × run time; `sleep 3` runs 3 s and a bit.
    const okCharged = await expectCharged(server, done.ok, raw.ok);
    expect(okCharged).toBeGreaterThanOrEqual(2 * 3);
    expect(okCharged).toBeLessThanOrEqual(2 * 8);
    const gangCharged = await expectCharged(server, done.gang, raw.gang);
    expect(gangCharged).toBeGreaterThanOrEqual(4 * 3);
    expect(gangCharged).toBeLessThanOrEqual(4 * 8);
    await expectCharged(server, done.exit3, raw.exit3);
    // A cancelled run is charged up to the cancel ncg recorded; Slurm stops it a moment later.
    const longCharged = await allocationGpuSeconds(server, long.id);
    expect(longCharged.gpuSeconds).toBe(Math.round(runSeconds(done.long)));
    expect(Math.abs(longCharged.gpuSeconds - (raw.long.end_time - raw.long.start_time))).toBeLessThanOrEqual(3);
    console.log(`slurm federation: 4 jobs on real Slurm in ${((performance.now() - t0) / 1000).toFixed(1)} s; GPU-seconds ok=${okCharged} gang=${gangCharged} cancel=${longCharged.gpuSeconds}`);
  });

  it('ncg submit puts a job on the Slurm cluster, and it succeeds there', { timeout: 120_000 }, async () => {
    const out = await ncgCli(server, ['submit', '--project', nustProject, '--name', 'cli-check', '--gpu-type', 'h100', '--gpus', '1', '--cpus', '1', '--mem', '1G', '--walltime', '5m', '--', 'bash', '-c', 'sleep 2']);
    console.log(`ncg submit:\n${out}`);
    const id = /submitted job (\S+) \(queued\)/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    const done = await waitForJob(server, id!, ENDED);
    expect(done).toMatchObject({ state: 'succeeded', exitCode: 0, cluster: CLUSTER });
    const raw = await theSlurmJob(server, id!);
    expect(raw).toMatchObject({ job_state: 'COMPLETED', name: `ncg-${id}` });
  });
});
