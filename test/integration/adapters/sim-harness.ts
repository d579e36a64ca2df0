/**
 * Harnesses that run the adapter contract against sim clusters: one on a ManualClock (time moves only when
 * the harness waits, so every case is exact and instant) and one on a fast ScaledClock (the server's clock).
 */
import type { JobSpec } from '../../../src/domain/types.js';
import { ManualClock, ScaledClock } from '../../../src/adapters/sim/clock.js';
import { SimClusterAdapter } from '../../../src/adapters/sim/sim-cluster.js';
import type { SimPoolSpec } from '../../../src/adapters/sim/nodes.js';
import type { AdapterHarness, ContractJobShape } from '../../helpers/adapter-contract.js';

/** The small cluster the sim harnesses build. */
export const CONTRACT_POOLS: SimPoolSpec[] = [
  { name: 'h100', gpuType: 'h100-80gb', nodes: 3, gpusPerNode: 8 },
  { name: 'l40s', gpuType: 'l40s', nodes: 2, gpusPerNode: 4 },
];

/** Simulated seconds each behaviour lasts: durations are in sim time, so any clock speed works. */
export function simContractSpec(shape: ContractJobShape): JobSpec {
  const timing = {
    quick: { durationSeconds: 60, walltimeSeconds: 3600 },
    fail: { durationSeconds: 30, walltimeSeconds: 3600, exitCode: shape.exitCode ?? 1 },
    long: { durationSeconds: 7 * 86400, walltimeSeconds: 14 * 86400 },
    overrun: { durationSeconds: 3600, walltimeSeconds: 120 },
  }[shape.behaviour];
  const { walltimeSeconds, ...sim } = timing;
  return {
    name: `contract-${shape.behaviour}`,
    projectId: 'contract-project',
    gpuTypes: [shape.gpuType],
    nodes: shape.nodes,
    gpusPerNode: shape.gpusPerNode,
    cpusPerNode: 8,
    memoryGbPerNode: 64,
    walltimeSeconds,
    qos: 'normal',
    sim,
  };
}

/** Contract harness on a ManualClock: waiting advances simulated time in 5 s steps (up to 3 simulated days). */
export async function manualClockHarness(): Promise<AdapterHarness & { clock: ManualClock; adapter: SimClusterAdapter }> {
  const clock = new ManualClock();
  const adapter = new SimClusterAdapter({ clusterId: 'contract-manual', pools: CONTRACT_POOLS, clock });
  return {
    adapter,
    clock,
    jobSpec: simContractSpec,
    expectedPools: CONTRACT_POOLS,
    async waitFor(probe, what) {
      for (let step = 0; step <= (3 * 86400) / 5; step++) {
        const v = await probe();
        if (v) return v;
        clock.advance(5000);
      }
      throw new Error(`timed out (3 simulated days) waiting for ${what}`);
    },
    close: () => adapter.close(),
  };
}

/** Contract harness on a ScaledClock at `speed`× real time: waiting polls every 5 ms for up to 5 real seconds. */
export async function scaledClockHarness(speed: number): Promise<AdapterHarness> {
  const adapter = new SimClusterAdapter({ clusterId: 'contract-scaled', pools: CONTRACT_POOLS, clock: new ScaledClock({ speed }) });
  return {
    adapter,
    jobSpec: simContractSpec,
    expectedPools: CONTRACT_POOLS,
    async waitFor(probe, what) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const v = await probe();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out (5 s real) waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      await adapter.close();
      adapter.clock.close();
    },
  };
}
