/** Reading the control loop’s pending verdicts defensively, the 422 the satisfiability check raises, and job ids. */
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../../src/api/rest/errors.js';
import { grpcStatusOf } from '../../../src/domain/error-status.js';
import { pendingInfo } from '../../../src/services/pending-info.js';
import { buildCatalog } from '../../../src/services/pool-catalog.js';
import { checkSatisfiable } from '../../../src/services/satisfiable.js';

describe('pendingInfo', () => {
  it('reads what the loop writes', () => {
    const info = pendingInfo({
      state: 'queued',
      reason: 'Reserved',
      priority: 12.5,
      reasonData: { position: 4, estimatedStart: 1_800_000_000_000, message: 'reserved', factors: { fairshare: 0.5, age: 0.1, qos: 0.5, size: 0 } },
    });
    expect(info).toEqual({ reason: 'Reserved', message: 'reserved', position: 4, estimatedStart: 1_800_000_000_000, priority: 12.5, factors: { fairshare: 0.5, age: 0.1, qos: 0.5, size: 0 }, seenByCycle: true });
  });

  it('leaves out fields of the wrong type instead of passing them on', () => {
    const info = pendingInfo({ state: 'queued', reason: 'Resources', reasonData: { position: '3', estimatedStart: 'soon', message: 7, factors: { fairshare: 1 } } });
    expect(info).toEqual({ reason: 'Resources', message: 'Resources', seenByCycle: true });
    expect(pendingInfo({ state: 'queued', reason: 'Resources', reasonData: { position: 0.5, estimatedStart: '2026-10-05T11:00:00Z' } })).toMatchObject({ estimatedStart: Date.UTC(2026, 9, 5, 11) });
  });

  it('says when no cycle has seen the job, and nothing for jobs that are not waiting', () => {
    expect(pendingInfo({ state: 'queued' })).toMatchObject({ reason: 'NotYetScheduled', seenByCycle: false });
    expect(pendingInfo({ state: 'running', reason: 'Resources' })).toBeUndefined();
  });
});

describe('checkSatisfiable', () => {
  const catalog = buildCatalog(
    [
      { id: 'c1', siteId: 's1', name: 'c1', kind: 'sim', state: 'active', pools: [{ id: 'p1', clusterId: 'c1', name: 'a', gpuType: 'h100-80gb', nodes: 2, gpusPerNode: 8, gpuMemoryGb: 80, bf16Tflops: 989 }] },
      { id: 'c2', siteId: 's2', name: 'c2', kind: 'sim', state: 'offline', pools: [{ id: 'p2', clusterId: 'c2', name: 'b', gpuType: 'l40s', nodes: 16, gpusPerNode: 4, gpuMemoryGb: 48, bf16Tflops: 362 }] },
    ],
    ['s1', 's2'],
  );

  it('accepts what some pool could hold, whatever its cluster’s state, and spells types as the pools do', () => {
    expect(checkSatisfiable(catalog, { gpuTypes: ['L40S'], nodes: 16, gpusPerNode: 4 })).toEqual(['l40s']);
    expect(checkSatisfiable(catalog, { gpuTypes: ['any', 'h100-80gb'], nodes: 2, gpusPerNode: 8 })).toEqual(['any']);
  });

  it('refuses with 422 / FAILED_PRECONDITION what no pool could hold', () => {
    let err: unknown;
    try {
      checkSatisfiable(catalog, { gpuTypes: ['any'], nodes: 3, gpusPerNode: 8 });
    } catch (e) {
      err = e;
    }
    const r = toErrorResponse(err);
    expect(r.status).toBe(422);
    expect(r.body.error.message).toBe('no pool has 3 nodes with 8 GPUs each of any type; a gang runs inside one pool and the largest such pool has 2 nodes (h100-80gb at s1)');
    expect(grpcStatusOf.unprocessable).toBe(9);
  });
});

describe('nextJobId', () => {
  it('makes ids in the store’s format, distinct, sorting by time', async () => {
    const { nextJobId } = await import('../../../src/services/job-ids.js');
    const { newJobId } = await import('../../../src/store/index.js');
    const shape = /^j-[0-9A-HJKMNP-TV-Z]{26}$/;
    expect(newJobId(0)).toMatch(shape);
    const ids = Array.from({ length: 1_000 }, (_, i) => nextJobId(1_800_000_000_000 + i));
    for (const id of ids) expect(id).toMatch(shape);
    expect(new Set(ids).size).toBe(1_000);
    expect([...ids].sort()).toEqual(ids);
  });
});
