/** Sim clusters built from the national grid seed: one per cluster, with the seed's pools, on one shared clock. */
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/sim/clock.js';
import { createSimClusters } from '../../../src/adapters/sim/from-seed.js';
import { nationalGridSeed, totalGpus } from '../../../src/seed/national-grid.js';

const seed = nationalGridSeed();
const clock = new ManualClock();
const clusters = createSimClusters(seed, { clock, defaultDurationSeconds: 120 });

afterAll(async () => {
  for (const c of clusters.values()) await c.close();
});

describe('createSimClusters', () => {
  it('builds one adapter per seed cluster whose inventory matches the seed pools', async () => {
    expect([...clusters.keys()]).toEqual(seed.clusters.map((c) => c.id));
    let free = 0;
    for (const [id, adapter] of clusters) {
      expect(adapter.clock).toBe(clock);
      const inv = await adapter.inventory();
      const pools = seed.pools.filter((p) => p.clusterId === id);
      expect(inv.pools.map((p) => [p.name, p.gpuType, p.nodes.length, p.nodes[0]!.totalGpus])).toEqual(pools.map((p) => [p.name, p.gpuType, p.nodes, p.gpusPerNode]));
      free += inv.pools.flatMap((p) => p.nodes).reduce((s, n) => s + n.freeGpus, 0);
    }
    expect(free).toBe(totalGpus(seed.pools));
  });

  it('names nodes <cluster>-<pool>-nNNN and picks metric labels from the cluster config', async () => {
    const hpc = clusters.get('coe-islamabad-hpc')!;
    expect(hpc.nodeNames('h100-80gb').slice(0, 2)).toEqual(['coe-islamabad-hpc-h100-80gb-n001', 'coe-islamabad-hpc-h100-80gb-n002']);
    const k8s = clusters.get('coe-islamabad-k8s')!;
    const spec = { name: 'x', projectId: 'nust-urdu-llm', gpuTypes: ['any'], nodes: 1, gpusPerNode: 1, cpusPerNode: 4, memoryGbPerNode: 16, walltimeSeconds: 600, qos: 'normal' as const };
    const base = { institutionId: 'nust', projectId: 'nust-urdu-llm', userId: 'nust-r01', spec, nodeNames: [] as string[] };
    await hpc.submit({ ...base, idempotencyKey: 'a', jobId: 'job-a', poolName: 'h100-80gb', nodeNames: ['coe-islamabad-hpc-h100-80gb-n001'] });
    await k8s.submit({ ...base, idempotencyKey: 'b', jobId: 'job-b', poolName: 'l40s', nodeNames: ['coe-islamabad-k8s-l40s-n001'] });
    expect(hpc.renderDcgmMetrics()).toContain('hpc_job="job-a"');
    expect(k8s.renderDcgmMetrics()).toContain('pod="job-b-0",namespace="ncg-jobs",container="main"');
    clock.advance(119_000);
    expect((await hpc.find('a'))?.state).toBe('running');
    clock.advance(1000);
    expect(await hpc.find('a')).toMatchObject({ state: 'succeeded', endedAt: clock.now() });
  });
});
