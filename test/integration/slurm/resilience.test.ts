/**
 * Failures around a real Slurm: slurmrestd killed and restarted mid-test (a private instance on its own
 * port, so other suites keep theirs), a crash between Slurm accepting a job and the adapter acknowledging
 * it, racing submits of one key, and tokens that expire. The measure each time: one Slurm job per key.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClusterUnavailableError, type SubmitRequest } from '../../../src/adapters/port.js';
import { SlurmUnavailableError } from '../../../src/adapters/slurm/index.js';
import type { JobSpec } from '../../../src/domain/types.js';
import { rootToken, scriptJob, services, slurmGate, slurmJobsWithKey, testAdapter, waitFor } from './slurm-harness.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const gate = await slurmGate({ partitions: ['h100'] });
const privatePort = '6829';
const privateUrl = `http://127.0.0.1:${privatePort}`;
let seq = 0;

function req(spec: JobSpec): SubmitRequest {
  const key = `slurm-res-${process.pid}-${Date.now().toString(36)}-${++seq}`;
  return { idempotencyKey: key, jobId: `job-${key}`, institutionId: 'inst-alice', projectId: spec.projectId, userId: 'u-alice', spec, poolName: 'h100', nodeNames: ['node4'] };
}

const longJob = () => scriptJob('sleep 600', { gpuType: 'h100' });

describe.runIf(gate.available)('slurm adapter under failure (real Slurm, partition h100, node4)', () => {
  const keys: string[] = [];
  const cleaner = testAdapter();

  beforeAll(async () => {
    await services('up', 'slurmrestd', { NCG_SLURMRESTD_PORT: privatePort });
  });
  afterAll(async () => {
    for (const key of keys) await cleaner.cancel(key).catch(() => undefined);
    await services('down', 'slurmrestd', { NCG_SLURMRESTD_PORT: privatePort });
  });

  it('slurmrestd killed and restarted: unavailable with backoff, then recovers with no duplicate job', async () => {
    const adapter = testAdapter({ url: privateUrl });
    const first = req(longJob());
    keys.push(first.idempotencyKey);
    const { externalId } = await adapter.submit(first);
    await waitFor(async () => (await adapter.status([first.idempotencyKey]))[0]?.state === 'running', 'first job running');

    await services('down', 'slurmrestd', { NCG_SLURMRESTD_PORT: privatePort });
    const health = await adapter.health();
    expect(health.ok).toBe(false);
    expect(health.message).toMatch(/unreachable/);
    const down1 = await adapter.status([first.idempotencyKey]).catch((e: unknown) => e);
    expect(down1).toBeInstanceOf(ClusterUnavailableError);
    const second = req(longJob());
    keys.push(second.idempotencyKey);
    const down2 = await adapter.submit(second).catch((e: unknown) => e);
    expect(down2).toBeInstanceOf(SlurmUnavailableError);
    // Consecutive failures back off further.
    expect((down2 as SlurmUnavailableError).retryAfterMs).toBeGreaterThan((down1 as SlurmUnavailableError).retryAfterMs);

    await services('up', 'slurmrestd', { NCG_SLURMRESTD_PORT: privatePort });
    expect((await adapter.health()).ok).toBe(true);
    expect((await adapter.status([first.idempotencyKey]))[0]).toMatchObject({ state: 'running', externalId });
    // The control loop retries both dispatches with their keys: the first exists, the second is new.
    expect(await adapter.submit(first)).toEqual({ externalId, created: false });
    expect((await adapter.submit(second)).created).toBe(true);
    expect(await slurmJobsWithKey(first.idempotencyKey)).toHaveLength(1);
    expect(await slurmJobsWithKey(second.idempotencyKey)).toHaveLength(1);
  });

  it('a crash after Slurm accepted the job but before acknowledgement: the retry finds it, no second job', async () => {
    const crashing = testAdapter({}, {
      faults: {
        afterSubmitAccepted: () => {
          throw new Error('injected crash after submit');
        },
      },
    });
    const r = req(longJob());
    keys.push(r.idempotencyKey);
    await expect(crashing.submit(r)).rejects.toThrow('injected crash after submit');
    // A new leader has no memory of the attempt: only Slurm knows.
    const fresh = testAdapter();
    const found = await fresh.find(r.idempotencyKey);
    expect(found).toMatchObject({ idempotencyKey: r.idempotencyKey });
    expect(await fresh.submit(r)).toEqual({ externalId: found!.externalId, created: false });
    expect(await slurmJobsWithKey(r.idempotencyKey)).toHaveLength(1);
  });

  it('racing submits of one key make one job', async () => {
    const adapter = testAdapter();
    const r = req(longJob());
    keys.push(r.idempotencyKey);
    const results = await Promise.all([adapter.submit(r), adapter.submit(r), adapter.submit(r)]);
    expect(results.filter((x) => x.created)).toHaveLength(1);
    expect(new Set(results.map((x) => x.externalId)).size).toBe(1);
    expect(await slurmJobsWithKey(r.idempotencyKey)).toHaveLength(1);
  });

  it('an expired token file makes the cluster unavailable; a refreshed file recovers it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncg-slurm-token-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, `SLURM_JWT=${rootToken(60, Date.now() / 1000 - 3600)}\n`);
      const adapter = testAdapter({ auth: { tokenFile: file, user: 'root' } });
      const expired = await adapter.inventory().catch((e: unknown) => e);
      expect(expired).toBeInstanceOf(ClusterUnavailableError);
      expect(String((expired as Error).message)).toMatch(/credentials.*token in .* expired at/);
      writeFileSync(file, `SLURM_JWT=${rootToken(600)}\n`);
      expect((await adapter.inventory()).pools.map((p) => p.name)).toEqual(['a100', 'h100']);
      // A root token acts for the mapped user (impersonation): the job runs as ncg-alice.
      const r = req(scriptJob('true', { gpuType: 'h100' }));
      keys.push(r.idempotencyKey);
      await adapter.submit(r);
      expect((await slurmJobsWithKey(r.idempotencyKey))[0]).toMatchObject({ user_name: 'ncg-alice', account: 'research' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
