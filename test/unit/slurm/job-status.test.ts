/** Slurm job states and raw wait statuses → the port's ExternalJobStatus. */
import { describe, expect, it } from 'vitest';
import { decodeWaitStatus, lostStatus, toExternalStatus, wasRejectedAtSubmit } from '../../../src/adapters/slurm/job-status.js';
import type { SlurmJob } from '../../../src/adapters/slurm/model.js';

function job(over: Partial<SlurmJob>): SlurmJob {
  return { jobId: '42', name: 'ncg-j', comment: '', userName: 'u', partition: 'a100', state: 'RUNNING', stateReason: 'None', submitTime: 100, startTime: 110, endTime: 0, nodes: 'node[1-2]', ...over };
}

describe('decodeWaitStatus', () => {
  it('reads exit codes from the high byte', () => {
    expect(decodeWaitStatus(0)).toEqual({ exitCode: 0 });
    expect(decodeWaitStatus(768)).toEqual({ exitCode: 3 });
    expect(decodeWaitStatus(256 * 255)).toEqual({ exitCode: 255 });
  });
  it('reads signals from the low bits, with or without a core dump', () => {
    expect(decodeWaitStatus(15)).toEqual({ exitCode: 143, signal: 15, signalName: 'SIGTERM' });
    expect(decodeWaitStatus(9)).toEqual({ exitCode: 137, signal: 9, signalName: 'SIGKILL' });
    expect(decodeWaitStatus(0x80 | 11)).toEqual({ exitCode: 139, signal: 11, signalName: 'SIGSEGV' });
    expect(decodeWaitStatus(33).signalName).toBe('SIG33');
  });
});

describe('toExternalStatus', () => {
  const cases: [string, string, string | undefined][] = [
    ['PENDING', 'pending', undefined],
    ['CONFIGURING', 'pending', undefined],
    ['REQUEUED', 'pending', undefined],
    ['RUNNING', 'running', undefined],
    ['COMPLETING', 'running', undefined],
    ['SUSPENDED', 'running', 'suspended'],
    ['COMPLETED', 'succeeded', undefined],
    ['CANCELLED', 'cancelled', 'cancelled'],
    ['TIMEOUT', 'failed', 'timeout'],
    ['NODE_FAIL', 'failed', 'node_fail'],
    ['PREEMPTED', 'preempted', 'preempted'],
    ['OUT_OF_MEMORY', 'failed', 'oom'],
    ['BOOT_FAIL', 'failed', 'boot_fail'],
    ['DEADLINE', 'failed', 'deadline'],
  ];
  it.each(cases)('%s → %s (%s)', (slurm, state, reason) => {
    const s = toExternalStatus(job({ state: slurm, exitCodeRaw: 0, endTime: 200 }), 'k');
    expect(s.state).toBe(state);
    expect(s.reason).toBe(reason);
  });

  it('FAILED carries the decoded exit code or signal', () => {
    expect(toExternalStatus(job({ state: 'FAILED', exitCodeRaw: 768, endTime: 120 }), 'k')).toEqual({
      idempotencyKey: 'k', externalId: '42', state: 'failed', exitCode: 3, reason: 'exit_code',
      startedAt: 110_000, endedAt: 120_000, nodeNames: ['node1', 'node2'],
    });
    expect(toExternalStatus(job({ state: 'FAILED', exitCodeRaw: 9, endTime: 120 }), 'k')).toMatchObject({ exitCode: 137, reason: 'signal:SIGKILL' });
  });

  it('pending jobs say why, and have no start even when Slurm has an estimate', () => {
    const s = toExternalStatus(job({ state: 'PENDING', stateReason: 'Resources', startTime: 999, nodes: '' }), 'k');
    expect(s).toEqual({ idempotencyKey: 'k', externalId: '42', state: 'pending', reason: 'slurm:Resources' });
  });

  it('a job cancelled while pending never started', () => {
    const s = toExternalStatus(job({ state: 'CANCELLED', startTime: 150, endTime: 150, nodes: '', exitCodeRaw: 0 }), 'k');
    expect(s.startedAt).toBeUndefined();
    expect(s.endedAt).toBe(150_000);
  });

  it('running jobs have no end (Slurm reports the limit there) and no exit code yet', () => {
    const s = toExternalStatus(job({ state: 'RUNNING', endTime: 9_999, exitCodeRaw: 0 }), 'k');
    expect(s.endedAt).toBeUndefined();
    expect(s.exitCode).toBeUndefined();
  });

  it('unknown states stay pending and are named', () => {
    expect(toExternalStatus(job({ state: 'SOMETHING_NEW' }), 'k')).toMatchObject({ state: 'pending', reason: 'slurm:unknown_state:SOMETHING_NEW' });
  });

  it('lost and rejected', () => {
    expect(lostStatus('k', '7')).toEqual({ idempotencyKey: 'k', externalId: '7', state: 'lost', reason: 'lost' });
    expect(wasRejectedAtSubmit(job({ state: 'FAILED', nodes: '', stateReason: 'BadConstraints' }))).toBe(true);
    expect(wasRejectedAtSubmit(job({ state: 'FAILED', nodes: 'node1' }))).toBe(false);
  });
});
