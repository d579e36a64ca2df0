/** Reconcile rules, one row of status-mapping.ts's table per case: what a cluster's answer does to a job. */
import { describe, expect, it } from 'vitest';
import type { ExternalJobStatus } from '../../../src/adapters/port.js';
import { mapStatus } from '../../../src/control/status-mapping.js';
import type { JobRecord } from '../../../src/store/repositories/jobs.js';

const NOW = 1_000_000;
const spec = { name: 'j', projectId: 'p', gpuTypes: ['any'], nodes: 1, gpusPerNode: 2, cpusPerNode: 1, memoryGbPerNode: 1, walltimeSeconds: 600, qos: 'normal' as const };

function job(state: JobRecord['state'], over: Partial<JobRecord> = {}): JobRecord {
  return { id: 'j1', institutionId: 'i', projectId: 'p', userId: 'u', spec, state, submittedAt: 0, clusterId: 'c', poolId: 'p1', nodeNames: ['n'], dispatchKey: 'j1:1', ...over };
}
function status(state: ExternalJobStatus['state'], over: Partial<ExternalJobStatus> = {}): ExternalJobStatus {
  return { idempotencyKey: 'j1:1', externalId: 'x-1', state, ...over };
}
const path = (o: ReturnType<typeof mapStatus>) => o.transitions.map((t) => `${t.from.join('|')}>${t.to}`);

describe('dispatching jobs', () => {
  it('unknown to the cluster (even by find) → requeued, keeping the key so the next attempt counts on', () => {
    const o = mapStatus(job('dispatching'), undefined, NOW);
    expect(path(o)).toEqual(['dispatching>queued']);
    expect(o.transitions[0]).toMatchObject({ reason: 'not_found', patch: { clusterId: null, nodeNames: null, externalId: null } });
    expect(o.transitions[0]!.patch).not.toHaveProperty('dispatchKey');
    expect(o.usageEnd).toBeUndefined();
  });

  it('lost before it was seen running → requeued; pending → unchanged but the backend id is recorded', () => {
    expect(mapStatus(job('dispatching'), status('lost'), NOW).transitions[0]).toMatchObject({ to: 'queued', reason: 'lost' });
    const pending = mapStatus(job('dispatching'), status('pending'), NOW);
    expect(pending.transitions).toEqual([]);
    expect(pending.externalId).toBe('x-1');
  });

  it('running → running with the cluster\'s start; already finished → running then that end, charged', () => {
    const r = mapStatus(job('dispatching'), status('running', { startedAt: 900_000, nodeNames: ['n'] }), NOW);
    expect(path(r)).toEqual(['dispatching>running']);
    expect(r.transitions[0]!.patch).toMatchObject({ startedAt: 900_000, externalId: 'x-1' });
    const f = mapStatus(job('dispatching'), status('failed', { startedAt: 900_000, endedAt: 950_000, exitCode: 2, reason: 'nonzero_exit' }), NOW);
    expect(path(f)).toEqual(['dispatching>running', 'running>failed']);
    expect(f.transitions[1]!.patch).toMatchObject({ endedAt: 950_000, exitCode: 2, reason: 'nonzero_exit' });
    expect([f.startedAt, f.usageEnd]).toEqual([900_000, 950_000]);
  });

  it('preempted by the cluster before starting → queued; after starting → running, preempted, queued', () => {
    expect(path(mapStatus(job('dispatching'), status('preempted'), NOW))).toEqual(['dispatching>queued']);
    expect(path(mapStatus(job('dispatching'), status('preempted', { startedAt: 1, endedAt: 2 }), NOW))).toEqual(['dispatching>running', 'running>preempted', 'preempted>queued']);
    // The requeue remembers when it was preempted (the scheduler's reclaim cooldown reads it).
    const requeued = mapStatus(job('dispatching'), status('preempted', { startedAt: 1, endedAt: 2 }), NOW).transitions.at(-1)!;
    expect(requeued.patch).toMatchObject({ preemptedAt: 2, startedAt: null, endedAt: null });
  });
});

describe('running jobs', () => {
  const running = (over: Partial<JobRecord> = {}) => job('running', { startedAt: 500_000, ...over });

  it('succeeded / failed / timeout carry end, exit code and reason; a timeout has no exit code', () => {
    expect(mapStatus(running(), status('succeeded', { endedAt: 800_000, exitCode: 0 }), NOW).transitions[0]).toMatchObject({ to: 'succeeded', patch: { endedAt: 800_000, exitCode: 0, reason: null } });
    const t = mapStatus(running(), status('failed', { endedAt: 800_000, reason: 'timeout' }), NOW);
    expect(t.transitions[0]).toMatchObject({ to: 'failed', reason: 'timeout', patch: { exitCode: null, reason: 'timeout' } });
    expect(t.usageEnd).toBe(800_000);
  });

  it('cancelled while we were preempting it → preempted then queued (for whom, in the event); otherwise cancelled', () => {
    const p = mapStatus(running({ reason: 'preempting', reasonData: { forJobId: 'j9' } }), status('cancelled', { endedAt: 700_000 }), NOW);
    expect(path(p)).toEqual(['running>preempted', 'preempted>queued']);
    expect(p.transitions[0]!.data).toEqual({ forJobId: 'j9' });
    expect(p.transitions[1]!.patch).toMatchObject({ startedAt: null, endedAt: null });
    expect(mapStatus(running(), status('cancelled', { endedAt: 700_000 }), NOW).transitions[0]).toMatchObject({ to: 'cancelled', reason: 'cancelled_on_cluster' });
  });

  it('lost, or unknown even by find → failed with reason lost, charged up to now', () => {
    for (const s of [status('lost'), undefined]) {
      const o = mapStatus(running(), s, NOW);
      expect(o.transitions[0]).toMatchObject({ to: 'failed', reason: 'lost', patch: { endedAt: NOW, reason: 'lost' } });
      expect(o.usageEnd).toBe(NOW);
    }
  });

  it('still running → nothing; an end before the recorded start is clamped to the start', () => {
    expect(mapStatus(running(), status('running'), NOW).transitions).toEqual([]);
    expect(mapStatus(running(), status('succeeded', { endedAt: 100 }), NOW).transitions[0]!.patch).toMatchObject({ endedAt: 500_000 });
  });
});
