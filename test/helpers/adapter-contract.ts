/**
 * The one contract every ClusterAdapter passes (DESIGN §3): sim, Slurm and Kubernetes run these same cases,
 * each through a harness that knows how to make time pass and how to shape jobs for its backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterAdapter, ExternalJobState, ExternalJobStatus, PoolInventory, SubmitRequest } from '../../src/adapters/port.js';
import type { JobSpec } from '../../src/domain/types.js';

/** What a contract job should do. The harness turns it into a spec (sim block, or a script that sleeps and exits). */
export interface ContractJobShape {
  /** `quick`: ends soon with exit 0; `fail`: ends soon with `exitCode`; `long`: outlives every test unless cancelled; `overrun`: runs past a short walltime. */
  behaviour: 'quick' | 'fail' | 'long' | 'overrun';
  exitCode?: number;
  gpuType: string;
  nodes: number;
  gpusPerNode: number;
}

/** A pool the contract expects to find, for the exact inventory check. */
export interface ExpectedPool {
  name: string;
  gpuType: string;
  nodes: number;
  gpusPerNode: number;
}

/** Everything a backend provides to run the contract. Made afresh before each case. */
export interface AdapterHarness {
  adapter: ClusterAdapter;
  /** A job spec that behaves as asked on this backend (durations fit its speed). */
  jobSpec(shape: ContractJobShape): JobSpec;
  /** Resolve with the first truthy value of `probe`, making time pass between tries; reject naming `what` on timeout. */
  waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T>;
  /** The pools the backend should report, if the harness knows them exactly. */
  expectedPools?: ExpectedPool[];
  /** Pool to run contract jobs in; default the first pool with two idle healthy nodes. */
  poolName?: string;
  close(): Promise<void>;
}

let counter = 0;

/** Run the adapter contract as a vitest `describe` block named `name`. */
export function runAdapterContract(name: string, makeHarness: () => Promise<AdapterHarness>): void {
  describe(`ClusterAdapter contract: ${name}`, () => {
    let h: AdapterHarness;
    let submitted: string[];

    beforeEach(async () => {
      h = await makeHarness();
      submitted = [];
    });

    afterEach(async () => {
      // Leave a shared backend idle for the next case, whatever this one did.
      for (const key of submitted) await h.adapter.cancel(key).catch(() => undefined);
      await h.close();
    });

    /** A pool with two idle healthy nodes, and those two nodes. */
    async function target(): Promise<{ pool: PoolInventory; nodes: [string, string]; gpusPerNode: number }> {
      const inv = await h.adapter.inventory();
      const idle = (p: PoolInventory) => p.nodes.filter((n) => n.healthy && n.freeGpus === n.totalGpus);
      const pool = inv.pools.find((p) => (h.poolName ? p.name === h.poolName : true) && idle(p).length >= 2);
      if (!pool) throw new Error(`no pool with two idle healthy nodes in ${JSON.stringify(inv.pools.map((p) => p.name))}`);
      const [a, b] = idle(pool);
      return { pool, nodes: [a!.name, b!.name], gpusPerNode: Math.min(a!.totalGpus, b!.totalGpus) };
    }

    async function submitJob(shape: Omit<ContractJobShape, 'gpuType' | 'gpusPerNode'> & { gpusPerNode?: number }, key = newKey()) {
      const t = await target();
      const gpusPerNode = shape.gpusPerNode ?? 1;
      const req = request(key, t.pool.name, t.nodes.slice(0, shape.nodes), h.jobSpec({ ...shape, gpuType: t.pool.gpuType, gpusPerNode }));
      submitted.push(key);
      return { key, req, target: t, result: await h.adapter.submit(req) };
    }

    function newKey(): string {
      return `contract-${process.pid}-${Date.now().toString(36)}-${++counter}`;
    }

    async function waitForState(key: string, states: ExternalJobState[]): Promise<ExternalJobStatus> {
      return h.waitFor(async () => {
        const [s] = await h.adapter.status([key]);
        return s && states.includes(s.state) ? s : undefined;
      }, `job ${key} to reach ${states.join('/')}`);
    }

    async function freeOn(nodeNames: string[]): Promise<number[]> {
      const inv = await h.adapter.inventory();
      const nodes = inv.pools.flatMap((p) => p.nodes);
      return nodeNames.map((n) => nodes.find((x) => x.name === n)!.freeGpus);
    }

    it('inventory lists pools with typed GPUs and sane node counts', async () => {
      const inv = await h.adapter.inventory();
      expect(inv.pools.length).toBeGreaterThan(0);
      expect(Number.isFinite(inv.observedAt)).toBe(true);
      for (const pool of inv.pools) {
        expect(pool.name).not.toBe('');
        expect(pool.gpuType).not.toBe('');
        expect(pool.nodes.length).toBeGreaterThan(0);
        for (const n of pool.nodes) {
          expect(n.totalGpus).toBeGreaterThan(0);
          expect(n.freeGpus).toBeGreaterThanOrEqual(0);
          expect(n.freeGpus).toBeLessThanOrEqual(n.totalGpus);
        }
      }
      if (h.expectedPools) {
        const seen = inv.pools.map((p) => ({ name: p.name, gpuType: p.gpuType, nodes: p.nodes.length, gpusPerNode: p.nodes[0]!.totalGpus }));
        expect(seen).toEqual(h.expectedPools);
      }
    });

    it('health is ok', async () => {
      expect((await h.adapter.health()).ok).toBe(true);
    });

    it('a quick job goes running, then succeeded with exit code 0, on the nodes it was given', async () => {
      const { key, req, result } = await submitJob({ behaviour: 'quick', nodes: 1 });
      expect(result.created).toBe(true);
      expect(result.externalId).not.toBe('');
      const running = await waitForState(key, ['running', 'succeeded']);
      expect(running.state).toBe('running');
      expect(running.nodeNames).toEqual(req.nodeNames);
      const done = await waitForState(key, ['succeeded', 'failed', 'cancelled', 'lost']);
      expect(done).toMatchObject({ state: 'succeeded', exitCode: 0, externalId: result.externalId, idempotencyKey: key });
      expect(done.endedAt!).toBeGreaterThanOrEqual(done.startedAt!);
    });

    it('a failing job reports failed with its exit code', async () => {
      const { key } = await submitJob({ behaviour: 'fail', exitCode: 3, nodes: 1 });
      const done = await waitForState(key, ['succeeded', 'failed', 'cancelled', 'lost']);
      expect(done.state).toBe('failed');
      expect(done.exitCode).toBe(3);
    });

    it('submit is idempotent: the same key twice is one job with one externalId', async () => {
      const first = await submitJob({ behaviour: 'long', nodes: 1 });
      const again = await h.adapter.submit(first.req);
      expect(again).toEqual({ externalId: first.result.externalId, created: false });
      await waitForState(first.key, ['running']);
      const [free] = await freeOn([first.target.nodes[0]]);
      expect(free).toBe(first.target.pool.nodes.find((n) => n.name === first.target.nodes[0])!.totalGpus - 1);
    });

    it('cancel stops a running job; cancelling again is a no-op', async () => {
      const { key, result } = await submitJob({ behaviour: 'long', nodes: 1 });
      await waitForState(key, ['running']);
      await h.adapter.cancel(key);
      const cancelled = await waitForState(key, ['cancelled', 'succeeded', 'failed']);
      expect(cancelled.state).toBe('cancelled');
      await h.adapter.cancel(key);
      const [after] = await h.adapter.status([key]);
      expect(after).toMatchObject({ state: 'cancelled', externalId: result.externalId });
    });

    it('cancel of an unknown key is a no-op; status omits it and find returns undefined', async () => {
      const key = newKey();
      await expect(h.adapter.cancel(key)).resolves.toBeUndefined();
      expect(await h.adapter.status([key])).toEqual([]);
      expect(await h.adapter.find(key)).toBeUndefined();
    });

    it('find returns a job by its key', async () => {
      const { key, result } = await submitJob({ behaviour: 'long', nodes: 1 });
      const found = await h.waitFor(() => h.adapter.find(key), `find(${key})`);
      expect(found).toMatchObject({ idempotencyKey: key, externalId: result.externalId });
      expect(['pending', 'running']).toContain(found.state);
    });

    it('a gang of 2 nodes × G GPUs holds both nodes while running and frees them at the end', async () => {
      const t = await target();
      const { key } = await submitJob({ behaviour: 'quick', nodes: 2, gpusPerNode: t.gpusPerNode });
      const running = await waitForState(key, ['running', 'succeeded']);
      expect(running.state).toBe('running');
      expect([...running.nodeNames!].sort()).toEqual([...t.nodes].sort());
      const totals = t.nodes.map((n) => t.pool.nodes.find((x) => x.name === n)!.totalGpus);
      expect(await freeOn(t.nodes)).toEqual(totals.map((total) => total - t.gpusPerNode));
      await waitForState(key, ['succeeded']);
      await h.waitFor(async () => (await freeOn(t.nodes)).every((f, i) => f === totals[i]), 'gang GPUs to be free again');
    });

    it('a job still running at its walltime is killed: failed with reason timeout', async () => {
      const { key } = await submitJob({ behaviour: 'overrun', nodes: 1 });
      const done = await waitForState(key, ['succeeded', 'failed', 'cancelled', 'lost']);
      expect(done.state).toBe('failed');
      expect(done.reason).toBe('timeout');
    });
  });
}

/** A submit request for contract jobs; ids are the key's, so they never clash across cases. */
function request(key: string, poolName: string, nodeNames: string[], spec: JobSpec): SubmitRequest {
  return { idempotencyKey: key, jobId: `job-${key}`, institutionId: 'contract-inst', projectId: spec.projectId, userId: 'contract-user', spec, poolName, nodeNames };
}
