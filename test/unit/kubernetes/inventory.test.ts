/** Inventory from Nodes and Pods: allocatable GPUs minus non-terminated pods' requests; unhealthy nodes give nothing. */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { buildInventory, countQuantity, gpuTypeOf, podGpuRequest } from '../../../src/adapters/kubernetes/inventory.js';
import { testConfig } from './fixtures.js';

function node(name: string, gpus: number, opts: { product?: string; ready?: boolean; cordoned?: boolean; labels?: Record<string, string> } = {}): V1Node {
  return {
    metadata: { name, labels: { ...(opts.product !== undefined ? { 'nvidia.com/gpu.product': opts.product } : {}), ...opts.labels } },
    spec: opts.cordoned ? { unschedulable: true } : {},
    status: { allocatable: { 'nvidia.com/gpu': String(gpus), cpu: '64' }, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

function pod(nodeName: string | undefined, gpus: number, phase = 'Running', init = 0): V1Pod {
  const res = (n: number) => ({ limits: { 'nvidia.com/gpu': String(n) } });
  return {
    metadata: { name: `p-${Math.random()}` },
    spec: { nodeName, containers: [{ name: 'a', resources: res(gpus) }], ...(init > 0 ? { initContainers: [{ name: 'i', resources: res(init) }] } : {}) },
    status: { phase },
  };
}

const H100 = 'NVIDIA-H100-80GB-HBM3';

describe('kubernetes inventory', () => {
  it('subtracts GPU requests of bound, non-terminated pods; finished and pending pods hold nothing', () => {
    const nodes = [node('a', 8, { product: H100 }), node('b', 8, { product: H100 })];
    const pods = [pod('a', 2), pod('a', 1, 'Pending'), pod('b', 8, 'Succeeded'), pod('b', 4, 'Failed'), pod(undefined, 8, 'Pending'), pod('b', 0)];
    const [pool] = buildInventory(nodes, pods, testConfig());
    expect(pool).toEqual({ name: H100, gpuType: 'h100-80gb', nodes: [{ name: 'a', totalGpus: 8, freeGpus: 5, healthy: true }, { name: 'b', totalGpus: 8, freeGpus: 8, healthy: true }] });
  });

  it('cordoned and NotReady nodes are listed unhealthy with nothing free', () => {
    const pools = buildInventory([node('a', 8, { product: H100, cordoned: true }), node('b', 8, { product: H100, ready: false }), node('c', 8, { product: H100 })], [], testConfig());
    expect(pools[0]!.nodes.map((n) => [n.name, n.healthy, n.freeGpus])).toEqual([['a', false, 0], ['b', false, 0], ['c', true, 8]]);
  });

  it('nodes without GPUs or without the product label are left out; pools are sorted and typed', () => {
    const pools = buildInventory([node('cpu', 0, { product: H100 }), node('nolabel', 4), node('l1', 4, { product: 'NVIDIA-L40S' }), node('h1', 8, { product: H100 }), node('x1', 2, { product: 'NVIDIA-Future-GPU' })], [], testConfig());
    expect(pools.map((p) => [p.name, p.gpuType, p.nodes.length])).toEqual([['NVIDIA-Future-GPU', 'nvidia-future-gpu', 1], [H100, 'h100-80gb', 1], ['NVIDIA-L40S', 'l40s', 1]]);
  });

  it('groups by a configured pool label and maps products through config', () => {
    const cfg = testConfig({ poolLabel: 'ncg.io/pool', gpuTypes: { 'Tesla-V100-SXM2-32GB': 'v100-32gb' } });
    const pools = buildInventory([node('a', 4, { product: 'Tesla-V100-SXM2-32GB', labels: { 'ncg.io/pool': 'old-gpus' } }), node('b', 4, { product: 'Tesla-V100-SXM2-32GB' })], [], cfg);
    expect(pools).toEqual([{ name: 'old-gpus', gpuType: 'v100-32gb', nodes: [{ name: 'a', totalGpus: 4, freeGpus: 4, healthy: true }] }]);
  });

  it('a pod holds the larger of its containers and its biggest init container', () => {
    expect(podGpuRequest(pod('a', 1, 'Running', 3), 'nvidia.com/gpu')).toBe(3);
    expect(podGpuRequest(pod('a', 4, 'Running', 3), 'nvidia.com/gpu')).toBe(4);
  });

  it('quantities and GPU type names', () => {
    expect([countQuantity('8'), countQuantity(8), countQuantity('2k'), countQuantity('bogus'), countQuantity(undefined)]).toEqual([8, 8, 2000, 0, 0]);
    expect(gpuTypeOf('NVIDIA-A100-SXM4-80GB', { gpuTypes: {} })).toBe('a100-80gb');
    expect(gpuTypeOf('NVIDIA-A100-SXM4-80GB', { gpuTypes: { 'NVIDIA-A100-SXM4-80GB': 'a100' } })).toBe('a100');
  });
});
