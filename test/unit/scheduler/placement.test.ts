import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import type { PendingJob, PoolState, RunningJob } from '../../../src/scheduler/types.js';
import { dispatchOf, job, pool, run, snap, verdictOf } from '../../helpers/scheduler-builders.js';

/** Where `j` went ("cluster/pool:node,node"), or its pending reason. */
function where(pools: PoolState[], j: PendingJob, running: RunningJob[] = []): string {
  const d = runCycle(snap({ pools, pending: [j], running }));
  const x = dispatchOf(d, j.id);
  return x ? `${x.clusterId}/${x.poolId}:${x.nodeNames.join(',')}` : verdictOf(d, j.id)!.reason;
}

const a100 = pool('pa', { nodes: 2, gpus: 8, type: 'A100' });
const h100 = pool('ph', { nodes: 2, gpus: 8, type: 'H100' });

describe('GPU type matching', () => {
  it.each([
    { types: ['H100'], expected: 'c1/ph:ph-n0' },
    { types: ['A100', 'H100'], expected: 'c1/pa:pa-n0' },
    { types: ['any'], expected: 'c1/pa:pa-n0' },
    { types: ['MI300X'], expected: 'GpuTypeUnavailable' },
    { types: [], expected: 'InvalidRequest' },
  ])('$types → $expected', ({ types, expected }) => {
    expect(where([a100, h100], job('j', { gpuTypes: types, gpusPerNode: 8 }))).toBe(expected);
  });
});

describe('gangs', () => {
  const four = pool('p', { nodes: 4, gpus: 8 });
  const busy = [run('r0', four, [0], { gpusPerNode: 4 }), run('r1', four, [1], { gpusPerNode: 6 })];

  it.each([
    { what: '2 × 8 needs two whole nodes', nodes: 2, g: 8, expected: 'c1/p:p-n2,p-n3' },
    { what: '3 × 8 does not fit on two whole nodes now: it gets a reservation', nodes: 3, g: 8, expected: 'Reserved' },
    { what: '3 × 4 uses the tightest nodes that fit', nodes: 3, g: 4, expected: 'c1/p:p-n0,p-n2,p-n3' },
    { what: '1 × 2 goes to the node with the fewest free GPUs', nodes: 1, g: 2, expected: 'c1/p:p-n1' },
  ])('$what', ({ nodes, g, expected }) => {
    expect(where([four], job('j', { nodes, gpusPerNode: g }), busy)).toBe(expected);
  });

  it('never places a gang on unhealthy nodes', () => {
    expect(where([pool('p', { nodes: 2, gpus: 8, unhealthy: [1] })], job('j', { nodes: 2, gpusPerNode: 8 }))).toBe('Resources');
  });
});

describe('choosing among pools', () => {
  it('best fit: fewest free GPUs left in the pool afterwards', () => {
    const big = pool('big', { nodes: 4, gpus: 8 });
    const small = pool('small', { nodes: 1, gpus: 8 });
    expect(where([big, small], job('j', { gpusPerNode: 2 }))).toBe('c1/small:small-n0');
  });

  it('then the preferred site, then canonical (cluster, pool) order', () => {
    const x = pool('px', { cluster: 'c2', site: 'lahore' });
    const y = pool('py', { cluster: 'c3', site: 'karachi' });
    expect(where([y, x], job('j', { preferredSiteId: 'karachi' }))).toBe('c3/py:py-n0');
    expect(where([y, x], job('j'))).toBe('c2/px:px-n0');
  });

  it('unavailable clusters take nothing', () => {
    const off = pool('off', { cluster: 'c9', available: false });
    expect(where([off], job('j'))).toBe('ClusterUnavailable');
    expect(where([off, pool('on', { cluster: 'c2', nodes: 1, gpus: 4 })], job('j', { gpusPerNode: 8 }))).toBe('ClusterUnavailable');
  });
});

describe('invalid requests name what exists', () => {
  it.each([
    { j: job('j', { gpusPerNode: 16, gpuTypes: ['A100'] }), message: 'asks 16 GPUs per node; the largest node has 8 (pool c1/pa)' },
    { j: job('j', { nodes: 3, gpusPerNode: 8, gpuTypes: ['A100'] }), message: 'asks 3 nodes with 8 GPUs each; the most such nodes in one pool is 2 (pool c1/pa), and a gang never spans pools' },
    { j: job('j', { nodes: 0 }), message: 'asks 0 node(s) × 1 GPU(s); both must be positive integers' },
    { j: job('j', { walltimeSeconds: 0 }), message: 'walltime must be a positive number of seconds (got 0)' },
  ])('$message', ({ j, message }) => {
    const d = runCycle(snap({ pools: [a100, h100], pending: [j] }));
    expect(verdictOf(d, 'j')).toMatchObject({ reason: 'InvalidRequest', message });
  });
});
