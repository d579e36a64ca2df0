/** Job conditions and pod states as the port's states. */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { readJob } from '../../../src/adapters/kubernetes/job-status.js';

const UID = 'job-uid-1';
const T0 = '2026-10-01T10:00:00Z';
const T1 = '2026-10-01T10:05:00Z';

function job(opts: { completions?: number; suspend?: boolean; condition?: [string, string] } = {}): V1Job {
  return {
    metadata: { name: 'ncg-j1', namespace: 'ncg', uid: UID },
    spec: { completions: opts.completions ?? 1, suspend: opts.suspend ?? false, template: {} },
    status: opts.condition ? { conditions: [{ type: opts.condition[0], status: 'True', reason: opts.condition[1], lastTransitionTime: T1 as unknown as Date }] } : {},
  };
}

function pod(index: number, phase: string, extra: { node?: string; exit?: number; reason?: string; waiting?: string; unschedulable?: boolean; owner?: string } = {}): V1Pod {
  const state = extra.waiting ? { waiting: { reason: extra.waiting } } : extra.exit !== undefined ? { terminated: { exitCode: extra.exit, reason: extra.reason, startedAt: T0 as unknown as Date } } : phase === 'Running' ? { running: { startedAt: T0 as unknown as Date } } : undefined;
  return {
    metadata: { name: `p${index}`, annotations: { 'batch.kubernetes.io/job-completion-index': String(index) }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'ncg-j1', uid: extra.owner ?? UID }] },
    spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
    status: { phase, ...(state ? { containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state }] } : {}), ...(extra.unschedulable ? { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' }] } : {}) },
  };
}

describe('readJob', () => {
  it('Complete → succeeded with exit code 0 and the run times', () => {
    expect(readJob(job({ condition: ['Complete', 'CompletionsReached'] }), [pod(0, 'Succeeded', { node: 'n1', exit: 0 })])).toEqual({
      state: 'succeeded',
      exitCode: 0,
      startedAt: Date.parse(T0),
      endedAt: Date.parse(T1),
      nodeNames: ['n1'],
    });
  });

  it('Failed/DeadlineExceeded → failed, reason timeout', () => {
    expect(readJob(job({ condition: ['Failed', 'DeadlineExceeded'] }), [])).toMatchObject({ state: 'failed', reason: 'timeout' });
  });

  it('Failed/BackoffLimitExceeded → failed with the failed container exit code; OOMKilled → oom', () => {
    const pods = [pod(0, 'Succeeded', { exit: 0 }), pod(1, 'Failed', { exit: 3, reason: 'Error' })];
    expect(readJob(job({ completions: 2, condition: ['Failed', 'BackoffLimitExceeded'] }), pods)).toMatchObject({ state: 'failed', exitCode: 3, reason: 'nonzero_exit' });
    expect(readJob(job({ condition: ['Failed', 'BackoffLimitExceeded'] }), [pod(0, 'Failed', { exit: 137, reason: 'OOMKilled' })])).toMatchObject({ exitCode: 137, reason: 'oom' });
  });

  it('a Failed Job whose pods are not seen yet asks to wait for the exit code', () => {
    expect(readJob(job({ condition: ['Failed', 'BackoffLimitExceeded'] }), [])).toMatchObject({ state: 'failed', awaitingExitCode: true });
  });

  it('a gang runs only when every index runs; pods of another incarnation are ignored', () => {
    const j = job({ completions: 2 });
    expect(readJob(j, [pod(0, 'Running', { node: 'n1' }), pod(1, 'Pending', { node: 'n2' })]).state).toBe('pending');
    expect(readJob(j, [pod(0, 'Running', { node: 'n1' }), pod(1, 'Running', { node: 'n2', owner: 'other' })]).state).toBe('pending');
    expect(readJob(j, [pod(0, 'Running', { node: 'n1' }), pod(1, 'Running', { node: 'n2' })])).toMatchObject({ state: 'running', nodeNames: ['n1', 'n2'], startedAt: Date.parse(T0) });
  });

  it('a suspended Job (waiting for Kueue) is pending', () => {
    expect(readJob(job({ suspend: true }), [])).toEqual({ state: 'pending' });
  });

  it('stuck image pulls and unschedulable pods are reported as problems', () => {
    expect(readJob(job(), [pod(0, 'Pending', { node: 'n1', waiting: 'ImagePullBackOff' })]).problem).toEqual({ kind: 'image-pull', reason: 'ImagePullBackOff', message: undefined });
    expect(readJob(job(), [pod(0, 'Pending', { unschedulable: true })]).problem).toMatchObject({ kind: 'unschedulable' });
    expect(readJob(job(), [pod(0, 'Pending', { node: 'n1', waiting: 'ContainerCreating' })]).problem).toBeUndefined();
  });
});
