/** Slurm nodes and partitions → ncg pools. */
import { describe, expect, it } from 'vitest';
import { buildPools, isNodeHealthy, parsePoolName } from '../../../src/adapters/slurm/inventory.js';
import type { SlurmNode, SlurmPartition } from '../../../src/adapters/slurm/model.js';

function node(name: string, over: Partial<SlurmNode> = {}): SlurmNode {
  return { name, state: 'idle', flags: [], gres: 'gpu:a100:4', gresUsed: 'gpu:a100:0(IDX:N/A)', partitions: ['gpu'], cpus: 16, allocCpus: 0, ...over };
}
const up = (name: string): SlurmPartition => ({ name, state: 'UP' });

describe('buildPools', () => {
  it('one pool per homogeneous partition, free GPUs from gres_used', () => {
    const { pools, typedGres } = buildPools([node('n1', { state: 'mixed', gresUsed: 'gpu:a100:3(IDX:0-2)', allocCpus: 3 }), node('n2')], [up('gpu')], { defaultGpuType: 'gpu' });
    expect(pools).toEqual([
      { name: 'gpu', gpuType: 'a100', nodes: [{ name: 'n1', totalGpus: 4, freeGpus: 1, healthy: true }, { name: 'n2', totalGpus: 4, freeGpus: 4, healthy: true }] },
    ]);
    expect(typedGres.get('gpu')).toBe(true);
  });

  it('a mixed partition becomes one pool per GPU type', () => {
    const nodes = [node('a', { partitions: ['mix'] }), node('h', { partitions: ['mix'], gres: 'gpu:h100:8', gresUsed: '' })];
    const { pools } = buildPools(nodes, [up('mix')], { defaultGpuType: 'gpu' });
    expect(pools.map((p) => [p.name, p.gpuType, p.nodes.map((n) => n.name)])).toEqual([
      ['mix:a100', 'a100', ['a']],
      ['mix:h100', 'h100', ['h']],
    ]);
    expect(parsePoolName('mix:h100')).toEqual({ partition: 'mix', gpuType: 'h100' });
    expect(parsePoolName('gpu')).toEqual({ partition: 'gpu' });
  });

  it('drained, down, not-responding nodes and down partitions contribute nothing', () => {
    const nodes = [
      node('drained', { flags: ['DRAIN'] }),
      node('down', { state: 'down' }),
      node('silent', { flags: ['NOT_RESPONDING'] }),
      node('inline', { state: 'idle+drain' }),
      node('full', { state: 'allocated', allocCpus: 16 }),
    ];
    const [pool] = buildPools(nodes, [up('gpu')], { defaultGpuType: 'gpu' }).pools;
    expect(pool!.nodes.map((n) => [n.name, n.healthy, n.freeGpus, n.totalGpus])).toEqual([
      ['drained', false, 0, 4],
      ['down', false, 0, 4],
      ['silent', false, 0, 4],
      ['inline', false, 0, 4],
      ['full', true, 0, 4],
    ]);
    const [downPool] = buildPools([node('n1')], [{ name: 'gpu', state: 'DOWN' }], { defaultGpuType: 'gpu' }).pools;
    expect(downPool!.nodes[0]).toMatchObject({ healthy: false, freeGpus: 0 });
  });

  it('skips partitions without GPUs and those not listed', () => {
    const nodes = [node('c', { gres: '', partitions: ['cpu'] }), node('g', { partitions: ['gpu', 'debug'] })];
    const all = buildPools(nodes, [up('cpu'), up('gpu'), up('debug')], { defaultGpuType: 'gpu' });
    expect(all.pools.map((p) => p.name)).toEqual(['gpu', 'debug']);
    const listed = buildPools(nodes, [up('cpu'), up('gpu'), up('debug')], { defaultGpuType: 'gpu', partitions: ['gpu'] });
    expect(listed.pools.map((p) => p.name)).toEqual(['gpu']);
  });

  it('untyped gres counts under the default type and is marked untyped', () => {
    const { pools, typedGres } = buildPools([node('n', { gres: 'gpu:2', gresUsed: 'gpu:1' })], [up('gpu')], { defaultGpuType: 'v100' });
    expect(pools[0]).toMatchObject({ gpuType: 'v100', nodes: [{ totalGpus: 2, freeGpus: 1 }] });
    expect(typedGres.get('gpu')).toBe(false);
  });

  it('isNodeHealthy reads flags and suffixes', () => {
    expect(isNodeHealthy(node('x', { state: 'mixed' }))).toBe(true);
    expect(isNodeHealthy(node('x', { state: 'idle*' }))).toBe(false);
    expect(isNodeHealthy(node('x', { flags: ['MAINTENANCE'] }))).toBe(false);
  });
});
