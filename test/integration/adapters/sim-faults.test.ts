/** Fault switches of the sim adapter: unreachable, refuse, lost jobs, lost acknowledgements, node failures, latency. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterRefusedError, ClusterUnavailableError, type ExternalJobStatus, type SubmitRequest } from '../../../src/adapters/port.js';
import { ManualClock } from '../../../src/adapters/sim/clock.js';
import { SimClusterAdapter } from '../../../src/adapters/sim/sim-cluster.js';
import { CONTRACT_POOLS, simContractSpec } from './sim-harness.js';

const START = Date.UTC(2026, 9, 1);
const N1 = 'c1-h100-n001';
const N2 = 'c1-h100-n002';

let clock: ManualClock;
let sim: SimClusterAdapter;

beforeEach(() => {
  clock = new ManualClock(START);
  sim = new SimClusterAdapter({ clusterId: 'c1', pools: CONTRACT_POOLS, clock });
});
afterEach(() => sim.close());

/** A request for `nodes` of the h100 pool; the quick job runs 60 s. */
function req(key: string, over: Partial<SubmitRequest> = {}, behaviour: 'quick' | 'long' = 'quick'): SubmitRequest {
  const nodeNames = over.nodeNames ?? [N1];
  const spec = simContractSpec({ behaviour, gpuType: 'h100-80gb', nodes: nodeNames.length, gpusPerNode: 4 });
  return { idempotencyKey: key, jobId: `job-${key}`, institutionId: 'i', projectId: 'p', userId: 'u', spec, poolName: 'h100', nodeNames, ...over };
}

async function freeGpus(node: string): Promise<number> {
  const inv = await sim.inventory();
  return inv.pools.flatMap((p) => p.nodes).find((n) => n.name === node)!.freeGpus;
}

describe('sim faults', () => {
  it('unreachable: every call throws ClusterUnavailableError, health is not ok, jobs keep running, events are dropped', async () => {
    const events: ExternalJobStatus[] = [];
    sim.watch((e) => events.push(e));
    await sim.submit(req('k1'));
    sim.faults.setUnreachable(true);
    for (const call of [() => sim.inventory(), () => sim.submit(req('k2')), () => sim.cancel('k1'), () => sim.status(['k1']), () => sim.find('k1')]) {
      await expect(call()).rejects.toBeInstanceOf(ClusterUnavailableError);
    }
    expect(await sim.health()).toEqual({ ok: false, message: 'sim cluster c1 is unreachable (fault injected)' });
    clock.advance(60_000);
    sim.faults.setUnreachable(false);
    expect(await sim.health()).toEqual({ ok: true });
    expect(await sim.find('k1')).toMatchObject({ state: 'succeeded', startedAt: START, endedAt: START + 60_000 });
    expect(events.map((e) => e.state)).toEqual(['running']);
    expect(sim.submissionCount('k2')).toBe(0);
  });

  it('refuse: new submits throw ClusterRefusedError with the reason; known keys still answer; off again works', async () => {
    await sim.submit(req('known'));
    sim.faults.setRefuse('maintenance window');
    await expect(sim.submit(req('new'))).rejects.toThrow(new ClusterRefusedError('sim cluster c1 refuses new jobs: maintenance window'));
    expect(await sim.submit(req('known'))).toEqual({ externalId: 'c1-000001', created: false });
    expect(sim.createdCount('new')).toBe(0);
    sim.faults.setRefuse(false);
    expect(await sim.submit(req('new'))).toEqual({ externalId: 'c1-000002', created: true });
  });

  it('loseJob: status reports lost, GPUs are freed, a resubmit with the same key counts as a second dispatch', async () => {
    await sim.submit(req('k'));
    expect(await freeGpus(N1)).toBe(4);
    expect(sim.loseJob('k')).toBe(true);
    expect(sim.loseJob('never-seen')).toBe(false);
    expect(await sim.status(['k'])).toEqual([{ idempotencyKey: 'k', externalId: 'c1-000001', state: 'lost', reason: 'lost' }]);
    expect(await freeGpus(N1)).toBe(8);
    expect(await sim.submit(req('k'))).toEqual({ externalId: 'c1-000002', created: true });
    expect(sim.createdCount('k')).toBe(2);
    expect(sim.submissionCount('k')).toBe(2);
  });

  it('loseNext: the submit succeeds, then the job is already lost', async () => {
    sim.faults.loseNext();
    expect(await sim.submit(req('a'))).toEqual({ externalId: 'c1-000001', created: true });
    expect((await sim.find('a'))?.state).toBe('lost');
    await sim.submit(req('b'));
    expect((await sim.find('b'))?.state).toBe('running');
  });

  it('dropNextAck: the job starts but the reply is lost; find() sees it and a retry does not dispatch twice', async () => {
    sim.faults.dropNextAck();
    await expect(sim.submit(req('k'))).rejects.toBeInstanceOf(ClusterUnavailableError);
    expect(await sim.find('k')).toMatchObject({ state: 'running', externalId: 'c1-000001', nodeNames: [N1] });
    expect(await sim.submit(req('k'))).toEqual({ externalId: 'c1-000001', created: false });
    expect(sim.createdCount('k')).toBe(1);
    expect(sim.submissionCount('k')).toBe(2);
  });

  it('node down: its jobs fail with node_fail (whole gang freed), it shows unhealthy with no free GPUs, and takes nothing', async () => {
    await sim.submit(req('gang', { nodeNames: [N1, N2] }));
    sim.setNodeHealth(N2, 'down');
    expect(await sim.find('gang')).toMatchObject({ state: 'failed', reason: 'node_fail', endedAt: START });
    expect(await freeGpus(N1)).toBe(8);
    const node2 = (await sim.inventory()).pools[0]!.nodes[1]!;
    expect(node2).toEqual({ name: N2, totalGpus: 8, freeGpus: 0, healthy: false });
    await expect(sim.submit(req('x', { nodeNames: [N2] }))).rejects.toThrow('node c1-h100-n002 is down');
    sim.setNodeHealth(N2, 'up');
    expect(await sim.submit(req('x', { nodeNames: [N2] }))).toMatchObject({ created: true });
  });

  it('drained node: running jobs finish normally, nothing new is placed', async () => {
    await sim.submit(req('k'));
    sim.setNodeHealth(N1, 'drained');
    await expect(sim.submit(req('y'))).rejects.toThrow('node c1-h100-n001 is drained');
    clock.advance(60_000);
    expect((await sim.find('k'))?.state).toBe('succeeded');
    expect(() => sim.setNodeHealth('nope', 'down')).toThrow('sim cluster c1 has no node nope');
  });

  it('refuses placements that do not fit, with a message naming the problem', async () => {
    const cases: [Partial<SubmitRequest>, string][] = [
      [{ poolName: 'a100' }, 'sim cluster c1 has no pool "a100"'],
      [{ nodeNames: ['c1-l40s-n001'] }, 'node c1-l40s-n001 is not in pool h100 of sim cluster c1'],
      [{ nodeNames: [N1, N1] }, 'node list repeats a node'],
    ];
    for (const [over, message] of cases) await expect(sim.submit(req('r', over))).rejects.toThrow(message);
    await sim.submit(req('half'));
    await sim.submit(req('other-half'));
    await expect(sim.submit(req('r'))).rejects.toThrow('node c1-h100-n001 has 0 free GPUs of 8, job needs 4');
    const wrongType = req('t');
    wrongType.spec.gpuTypes = ['l40s'];
    await expect(sim.submit(wrongType)).rejects.toThrow('pool h100 has h100-80gb GPUs, job accepts l40s');
    expect(sim.createdCount('r') + sim.createdCount('t')).toBe(0);
  });

  it('latency delays every answer by the configured real milliseconds', async () => {
    sim.faults.setLatency(30);
    const t0 = performance.now();
    await sim.inventory();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('reset switches every fault off', async () => {
    sim.faults.setUnreachable(true);
    sim.faults.setRefuse('x');
    sim.faults.loseNext(2);
    sim.faults.reset();
    await sim.submit(req('k'));
    expect((await sim.find('k'))?.state).toBe('running');
  });
});
