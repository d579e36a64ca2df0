/**
 * Errors over gRPC mean what they mean over REST: 401 → UNAUTHENTICATED, 400 → INVALID_ARGUMENT naming
 * every bad field by its proto name (in the message and in a google.rpc.BadRequest), 403 →
 * PERMISSION_DENIED, 404 → NOT_FOUND, 422 → FAILED_PRECONDITION; a malformed message is INVALID_ARGUMENT,
 * not INTERNAL.
 */
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGrpcHarness, validSubmit, type GrpcHarness } from './grpc-harness.js';

// The standard googleapis messages of the richer error model, enough to decode the details trailer.
const rpcJson: Record<string, unknown> = {
  nested: {
    google: {
      nested: {
        protobuf: { nested: { Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } } } },
        rpc: {
          nested: {
            Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 }, details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 } } },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: { FieldViolation: { fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } } } },
            },
            ErrorInfo: { fields: { reason: { type: 'string', id: 1 }, domain: { type: 'string', id: 2 }, metadata: { keyType: 'string', type: 'string', id: 3 } } },
          },
        },
      },
    },
  },
};
const rpc = protobuf.Root.fromJSON(rpcJson as protobuf.INamespace);

function details(err: grpc.ServiceError): { status: any; badRequest?: any; errorInfo?: any } {
  const [bin] = err.metadata.get('grpc-status-details-bin');
  const status = rpc.lookupType('google.rpc.Status').toObject(rpc.lookupType('google.rpc.Status').decode(bin as Buffer)) as any;
  const out: { status: any; badRequest?: any; errorInfo?: any } = { status };
  for (const d of status.details ?? []) {
    const name = String(d.type_url).replace('type.googleapis.com/', '');
    const decoded = rpc.lookupType(name).toObject(rpc.lookupType(name).decode(d.value));
    if (name === 'google.rpc.BadRequest') out.badRequest = decoded;
    if (name === 'google.rpc.ErrorInfo') out.errorInfo = decoded;
  }
  return out;
}

let h: GrpcHarness;
beforeAll(async () => {
  h = await startGrpcHarness();
});
afterAll(async () => h?.close());

describe('status mapping', () => {
  it('no token, an unknown token and a non-bearer scheme are UNAUTHENTICATED (401)', async () => {
    for (const token of [null, 'ncg_not-a-real-token']) {
      const r = await h.call(h.jobs, 'Submit', validSubmit(), { token });
      expect(r.err?.code).toBe(grpc.status.UNAUTHENTICATED);
    }
    const basic = new grpc.Metadata();
    basic.set('authorization', 'Basic YWRtaW46YWRtaW4=');
    const r = await new Promise<grpc.ServiceError | null>((resolve) => (h.clusters as any).List({}, basic, (err: grpc.ServiceError | null) => resolve(err)));
    expect(r?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(r?.details).toContain('Bearer');
  });

  it('a bad submission is INVALID_ARGUMENT (400) naming each bad field by its proto name', async () => {
    const before = await h.jobCount();
    const r = await h.call(h.jobs, 'Submit', { name: 'x', project: 'inst-00-p1', gpus_per_node: 0, walltime: 'forever', cpus_per_node: -1, sim: {}, env: { 'BAD-NAME': 'v' } });
    expect(r.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    for (const field of ['gpus_per_node', 'cpus_per_node', 'walltime', 'sim.duration_seconds', 'env.BAD-NAME']) expect(r.err?.details).toContain(`${field}:`);
    expect(r.err?.details).not.toContain('gpusPerNode');
    const d = details(r.err!);
    expect(d.status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(d.badRequest.field_violations.map((v: { field: string }) => v.field)).toEqual(expect.arrayContaining(['gpus_per_node', 'cpus_per_node', 'walltime', 'sim.duration_seconds']));
    expect(d.errorInfo).toMatchObject({ reason: 'INVALID', domain: 'ncg.grid' });
    expect(r.err?.metadata.get('ncg-error-code')).toEqual(['invalid']);
    expect(await h.jobCount()).toBe(before);
  });

  it('missing required fields are named as required', async () => {
    const r = await h.call(h.jobs, 'Submit', {});
    expect(r.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(r.err?.details).toMatch(/name: required; project: required; walltime: /);
  });

  it('submitting to a project one is not a member of is PERMISSION_DENIED (403)', async () => {
    const r = await h.call(h.jobs, 'Submit', validSubmit({}, 'inst-01'), { token: 'inst-00-r1' });
    expect(r.err?.code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('unknown, impossible and other people’s jobs are NOT_FOUND (404)', async () => {
    expect((await h.call(h.jobs, 'Get', { id: 'j-does-not-exist' })).err?.code).toBe(grpc.status.NOT_FOUND);
    expect((await h.call(h.jobs, 'Cancel', { id: 'j-does-not-exist' })).err?.code).toBe(grpc.status.NOT_FOUND);
    expect((await h.call(h.jobs, 'Get', { id: 'x'.repeat(5_000) })).err?.code).toBe(grpc.status.NOT_FOUND);
    expect((await h.call(h.jobs, 'Get', { id: 'j-\u0000' })).err?.code).toBe(grpc.status.NOT_FOUND);
    expect((await h.call(h.jobs, 'Get', { id: '' })).err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    const theirs = (await h.call(h.jobs, 'Submit', validSubmit())).res.job;
    expect((await h.call(h.jobs, 'Get', { id: theirs.id }, { token: 'inst-01-r1' })).err?.code).toBe(grpc.status.NOT_FOUND);
  });

  it('a request no pool could ever run is FAILED_PRECONDITION (422) saying what exists', async () => {
    const wide = await h.call(h.jobs, 'Submit', validSubmit({ gpus_per_node: 16 }));
    expect(wide.err?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(wide.err?.details).toContain('the largest nodes have 8');
    expect(details(wide.err!).errorInfo.metadata).toMatchObject({ field: 'gpus_per_node', maxGpusPerNode: '8' });
    const unknown = await h.call(h.jobs, 'Submit', validSubmit({ gpu_types: ['b200'] }));
    expect(unknown.err?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(unknown.err?.details).toContain('H100-80GB');
  });

  it('bad list filters are INVALID_ARGUMENT naming the field', async () => {
    const state = await h.call(h.jobs, 'List', { states: [42] });
    expect(state.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    const limit = await h.call(h.jobs, 'List', { limit: 0 });
    expect(limit.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(limit.err?.details).toContain('limit');
    const cursor = await h.call(h.jobs, 'List', { cursor: 'not a cursor' });
    expect(cursor.err?.details).toContain('cursor');
    const nul = await h.call(h.jobs, 'List', { project: 'p\u0000' });
    expect(nul.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('a malformed protobuf message is INVALID_ARGUMENT, not INTERNAL', async () => {
    const raw = new grpc.Client(`127.0.0.1:${h.port}`, grpc.credentials.createInsecure());
    const send = (method: string, bytes: number[]) =>
      new Promise<grpc.ServiceError | null>((resolve) => raw.makeUnaryRequest(method, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(bytes), h.metadata(), (e) => resolve(e)));
    // An invalid wire type, and a varint field cut short.
    for (const bytes of [Array(11).fill(0xff), [0x22, 0x05, 0x01]]) {
      const err = await send('/ncg.v1.JobService/Submit', bytes);
      expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err?.details).toContain('not a valid ncg.v1.SubmitJobRequest');
    }
    expect((await send('/ncg.v1.JobService/Get', Array(11).fill(0xff)))?.code).toBe(grpc.status.INVALID_ARGUMENT);
    raw.close();
  });
});
