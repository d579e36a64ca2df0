/** Job lifecycle of the sim adapter on a manual clock: exact instants, events, defaults, close. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterUnavailableError, type ExternalJobStatus, type SubmitRequest } from '../../../src/adapters/port.js';
import { ManualClock } from '../../../src/adapters/sim/clock.js';
import { SimClusterAdapter } from '../../../src/adapters/sim/sim-cluster.js';
import { CONTRACT_POOLS, simContractSpec } from './sim-harness.js';

const START = Date.UTC(2026, 9, 1);

let clock: ManualClock;
let sim: SimClusterAdapter;

beforeEach(() => {
  clock = new ManualClock(START);
  sim = new SimClusterAdapter({ clusterId: 'c1', pools: CONTRACT_POOLS, clock, defaultDurationSeconds: 90 });
});
afterEach(() => sim.close());

function req(key: string, sim?: SubmitRequest['spec']['sim'], walltimeSeconds = 3600): SubmitRequest {
  const spec = { ...simContractSpec({ behaviour: 'quick', gpuType: 'l40s', nodes: 1, gpusPerNode: 2 }), walltimeSeconds };
  if (sim) spec.sim = sim;
  else delete spec.sim;
  return { idempotencyKey: key, jobId: `job-${key}`, institutionId: 'i', projectId: 'p', userId: 'u', spec, poolName: 'l40s', nodeNames: ['c1-l40s-n001'] };
}

describe('sim job lifecycle', () => {
  it('emits running then succeeded at exact simulated instants, and unsubscribing stops events', async () => {
    const events: ExternalJobStatus[] = [];
    const stop = sim.watch((e) => events.push(e));
    await sim.submit(req('a', { durationSeconds: 40 }));
    clock.advance(39_999);
    expect(events.map((e) => e.state)).toEqual(['running']);
    clock.advance(1);
    expect(events[1]).toEqual({ idempotencyKey: 'a', externalId: 'c1-000001', state: 'succeeded', startedAt: START, endedAt: START + 40_000, exitCode: 0, nodeNames: ['c1-l40s-n001'] });
    stop();
    await sim.submit(req('b', { durationSeconds: 1 }));
    clock.advance(5000);
    expect(events).toHaveLength(2);
  });

  it('a job without a sim block runs the default duration', async () => {
    await sim.submit(req('d'));
    clock.advance(89_000);
    expect((await sim.find('d'))?.state).toBe('running');
    clock.advance(1000);
    expect(await sim.find('d')).toMatchObject({ state: 'succeeded', endedAt: START + 90_000 });
  });

  it('a run of exactly its walltime completes; one second more is a timeout at the limit', async () => {
    await sim.submit(req('exact', { durationSeconds: 60 }, 60));
    await sim.submit(req('over', { durationSeconds: 61, exitCode: 0 }, 60));
    clock.advance(3600_000);
    const [exact, over] = await sim.status(['exact', 'over']);
    expect(exact).toMatchObject({ state: 'succeeded', endedAt: START + 60_000 });
    expect(over).toMatchObject({ state: 'failed', reason: 'timeout', endedAt: START + 60_000 });
    expect(over!.exitCode).toBeUndefined();
  });

  it('a non-zero exit fails with reason nonzero_exit; status keeps the order asked and omits unknown keys', async () => {
    await sim.submit(req('f', { durationSeconds: 5, exitCode: 137 }));
    await sim.submit(req('g', { durationSeconds: 5 }));
    clock.advance(5000);
    const statuses = await sim.status(['g', 'unknown', 'f']);
    expect(statuses.map((s) => [s.idempotencyKey, s.state, s.exitCode, s.reason])).toEqual([
      ['g', 'succeeded', 0, undefined],
      ['f', 'failed', 137, 'nonzero_exit'],
    ]);
  });

  it('a cancelled job keeps its end time and GPUs come back', async () => {
    await sim.submit(req('c', { durationSeconds: 600 }));
    clock.advance(10_000);
    await sim.cancel('c');
    clock.advance(1_000_000);
    expect(await sim.find('c')).toMatchObject({ state: 'cancelled', endedAt: START + 10_000 });
    const node = (await sim.inventory()).pools[1]!.nodes[0]!;
    expect(node.freeGpus).toBe(4);
  });

  it('close stops every timer and later calls fail as unavailable', async () => {
    await sim.submit(req('x', { durationSeconds: 600 }));
    expect(clock.pendingTimers()).toBe(1);
    await sim.close();
    expect(clock.pendingTimers()).toBe(0);
    await expect(sim.inventory()).rejects.toBeInstanceOf(ClusterUnavailableError);
    expect((await sim.health()).ok).toBe(false);
  });

  it('lists jobs including forgotten ones, and names nodes per pool', async () => {
    await sim.submit(req('a', { durationSeconds: 5 }));
    await sim.submit({ ...req('b', { durationSeconds: 5 }), nodeNames: ['c1-l40s-n002'] });
    sim.loseJob('b');
    expect(sim.listJobs().map((j) => [j.idempotencyKey, j.state])).toEqual([
      ['a', 'running'],
      ['b', 'lost'],
    ]);
    expect(sim.nodeNames('l40s')).toEqual(['c1-l40s-n001', 'c1-l40s-n002']);
    expect(sim.nodeNames()).toHaveLength(5);
  });
});
