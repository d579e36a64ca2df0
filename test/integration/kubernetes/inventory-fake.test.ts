/**
 * Inventory read through the API server fake: pools by GPU product, cordoned and NotReady nodes giving
 * nothing, and GPUs held by any non-terminated pod (ncg's or another workload's) subtracted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PoolInventory } from '../../../src/adapters/port.js';
import { FAKE_POOLS, fakeRequest, pollFor, startFakeSetup, stateOf, type FakeSetup } from './fake-harness.js';

let setup: FakeSetup;

afterEach(async () => {
  await setup?.close();
});

async function nodeState(name: string) {
  const inv = await setup.adapter.inventory();
  return inv.pools.flatMap((p: PoolInventory) => p.nodes).find((n) => n.name === name)!;
}

/** A workload that is not ncg's, holding `gpus` on `node` for `seconds` fake seconds. */
function otherPod(name: string, node: string, gpus: number, seconds: number) {
  setup.fake.createPod('default', name, {
    nodeSelector: { 'kubernetes.io/hostname': node },
    containers: [{ name: 'c', image: 'busybox', resources: { limits: { 'nvidia.com/gpu': String(gpus) } }, env: [{ name: 'NCG_SIM_DURATION_SECONDS', value: String(seconds) }] }],
  });
}

describe('kubernetes inventory through the API', () => {
  it('reports GPU pools by product and leaves out GPU-less nodes', async () => {
    setup = await startFakeSetup();
    const inv = await setup.adapter.inventory();
    expect(inv.pools.map((p) => ({ name: p.name, gpuType: p.gpuType, nodes: p.nodes.length, gpusPerNode: p.nodes[0]!.totalGpus }))).toEqual(FAKE_POOLS);
    expect(inv.pools.flatMap((p) => p.nodes).every((n) => n.healthy && n.freeGpus === n.totalGpus)).toBe(true);
  });

  it('cordoned and NotReady nodes contribute nothing', async () => {
    setup = await startFakeSetup();
    setup.fake.cordon('gpu-h100-1');
    setup.fake.setNodeReady('gpu-l40s-2', false);
    expect(await nodeState('gpu-h100-1')).toEqual({ name: 'gpu-h100-1', totalGpus: 8, freeGpus: 0, healthy: false });
    expect(await nodeState('gpu-l40s-2')).toEqual({ name: 'gpu-l40s-2', totalGpus: 4, freeGpus: 0, healthy: false });
    setup.fake.cordon('gpu-h100-1', false);
    expect((await nodeState('gpu-h100-1')).freeGpus).toBe(8);
  });

  it('subtracts GPUs of running pods, ncg’s and others’, and gives them back when the pods finish', async () => {
    setup = await startFakeSetup();
    otherPod('notebook', 'gpu-h100-2', 3, 40);
    await setup.adapter.submit(fakeRequest('k-inv', { nodes: ['gpu-h100-2'], gpusPerNode: 2, durationSeconds: 40 }));
    await stateOf(setup.adapter, 'k-inv', ['running']);
    await pollFor(async () => (await nodeState('gpu-h100-2')).freeGpus === 3, 'both pods to hold their GPUs');
    await stateOf(setup.adapter, 'k-inv', ['succeeded']);
    await pollFor(async () => (await nodeState('gpu-h100-2')).freeGpus === 8, 'GPUs to be free again');
  });
});
