/** How gRPC requests become REST bodies, and REST field paths become proto field paths, without a server. */
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { protoFieldPath, toServiceError } from '../../../src/api/grpc/errors.js';
import { idempotencyKeyOf, submitBody } from '../../../src/api/grpc/submit-request.js';
import { DomainError } from '../../../src/domain/errors.js';

describe('protoFieldPath', () => {
  it('spells REST paths the proto way, leaving data (env names, indices) alone', () => {
    expect(protoFieldPath('gpusPerNode')).toBe('gpus_per_node');
    expect(protoFieldPath('gpuType')).toBe('gpu_types');
    expect(protoFieldPath('gpuType.1')).toBe('gpu_types.1');
    expect(protoFieldPath('sim.durationSeconds')).toBe('sim.duration_seconds');
    expect(protoFieldPath('env.myVar')).toBe('env.myVar');
    expect(protoFieldPath('command.2')).toBe('command.2');
    expect(protoFieldPath('Idempotency-Key')).toBe('idempotency_key');
    expect(protoFieldPath('(body)')).toBe('(body)');
  });
});

describe('submitBody', () => {
  it('leaves proto3 empties out so REST defaults apply, keeps explicit zeros of optional fields', () => {
    const decoded = { name: 'n', project: 'p', gpu_types: [], command: [], env: {}, walltime: '', qos: 'QOS_UNSPECIFIED', preferred_site: '', image: '', script: '', sim: null, idempotency_key: '', nodes: 0 };
    expect(submitBody(decoded)).toEqual({ name: 'n', project: 'p', nodes: 0 });
  });

  it('maps names, enums, one GPU type to a string and several to a list, and the sim block', () => {
    const body = submitBody({ gpu_types: ['h100'], gpus_per_node: 2, memory_gb_per_node: 64, qos: 'QOS_PREEMPTIBLE', preferred_site: 's', sim: { duration_seconds: 5, exit_code: 1 } });
    expect(body).toEqual({ gpuType: 'h100', gpusPerNode: 2, memoryGbPerNode: 64, qos: 'preemptible', preferredSite: 's', sim: { durationSeconds: 5, exitCode: 1 } });
    expect(submitBody({ gpu_types: ['a', 'b'] }).gpuType).toEqual(['a', 'b']);
  });

  it('passes values it cannot map (an unknown enum number) on for the schema to refuse', () => {
    expect(submitBody({ qos: 7 }).qos).toBe(7);
    expect(submitBody({ sim: {} }).sim).toEqual({});
  });
});

describe('idempotencyKeyOf', () => {
  const md = (...keys: string[]) => {
    const m = new grpc.Metadata();
    for (const k of keys) m.add('idempotency-key', k);
    return m;
  };
  it('takes the field or the metadata; both must agree', () => {
    expect(idempotencyKeyOf({ idempotency_key: 'a' }, md())).toBe('a');
    expect(idempotencyKeyOf({}, md('b'))).toBe('b');
    expect(idempotencyKeyOf({ idempotency_key: 'c' }, md('c'))).toBe('c');
    expect(idempotencyKeyOf({}, md())).toBeUndefined();
    expect(() => idempotencyKeyOf({ idempotency_key: 'a' }, md('b'))).toThrow(/differ/);
    expect(() => idempotencyKeyOf({}, md('a', 'b'))).toThrow(/once/);
  });
});

describe('toServiceError', () => {
  const log = { errors: [] as object[], error(obj: object) { this.errors.push(obj); } };

  it('maps every domain code through grpcStatusOf and renames fields in the message', () => {
    const e = toServiceError(DomainError.invalid('job submission is not valid — gpusPerNode: too big', [{ path: 'gpusPerNode', message: 'too big' }]), log, 'm');
    expect(e).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'job submission is not valid — gpus_per_node: too big' });
    expect(e.metadata?.get('ncg-error-code')).toEqual(['invalid']);
    expect(toServiceError(new DomainError('unprocessable', 'no pool'), log, 'm').code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(toServiceError(DomainError.notFound('job', 'x'), log, 'm').code).toBe(grpc.status.NOT_FOUND);
  });

  it('names at most 20 fields in the message; the details trailer carries them all', () => {
    const issues = Array.from({ length: 30 }, (_, i) => ({ path: `env.K${i}`, message: 'bad' }));
    const e = toServiceError(DomainError.invalid('job submission is not valid — …', issues), log, 'm');
    expect(e.details).toContain('env.K19: bad; and 10 more (all are in the BadRequest details)');
    expect(e.details).not.toContain('env.K20:');
    expect(String(e.metadata?.get('grpc-status-details-bin')[0])).toContain('env.K29');
  });

  it('answers anything else INTERNAL without its message, and logs it', () => {
    const before = log.errors.length;
    const e = toServiceError(new Error('relation "jobs" does not exist'), log, 'JobService.Get');
    expect(e).toMatchObject({ code: grpc.status.INTERNAL, details: 'internal error; the server log has the details' });
    expect(log.errors.length).toBe(before + 1);
  });
});
