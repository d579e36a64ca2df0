/**
 * What a gRPC client finds without reading ncg's code: the standard health service answers SERVING,
 * reflection lists ncg's services and serves their descriptors, ClusterService lists the live inventory,
 * and closing the server ends open watches promptly instead of waiting out the grace period.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGrpcHarness, validSubmit, type GrpcHarness } from './grpc-harness.js';

let h: GrpcHarness;
beforeAll(async () => {
  h = await startGrpcHarness();
});
afterAll(async () => h?.close());

/** A reflection client from the proto file @grpc/reflection ships. */
function reflectionClient(): grpc.Client {
  const file = join(import.meta.dirname, '../../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(file, { keepCase: true })) as any;
  return new pkg.grpc.reflection.v1.ServerReflection(`127.0.0.1:${h.port}`, grpc.credentials.createInsecure());
}

/** One request on the bidirectional reflection stream, and its answer. */
function reflect(client: grpc.Client, request: Record<string, unknown>): Promise<any> {
  return new Promise((resolve, reject) => {
    const stream = (client as any).ServerReflectionInfo();
    stream.on('data', (m: unknown) => {
      resolve(m);
      stream.end();
    });
    stream.on('error', reject);
    stream.write(request);
  });
}

describe('health', () => {
  it('Check answers SERVING for the server and each ncg service, without a token', async () => {
    for (const service of ['', 'ncg.v1.JobService', 'ncg.v1.ClusterService']) {
      const r = await h.call(h.health, 'Check', { service }, { token: null });
      expect(r.res).toEqual({ status: 'SERVING' });
    }
  });

  it('Check of an unknown service is NOT_FOUND; Watch says SERVICE_UNKNOWN', async () => {
    expect((await h.call(h.health, 'Check', { service: 'no.such.Service' }, { token: null })).err?.code).toBe(grpc.status.NOT_FOUND);
    const stream = (h.health as any).Watch({ service: 'no.such.Service' });
    const first = await new Promise((resolve) => stream.once('data', resolve));
    stream.cancel();
    stream.on('error', () => undefined);
    expect(first).toEqual({ status: 'SERVICE_UNKNOWN' });
  });

  it('Watch sends the current status first', async () => {
    const stream = (h.health as any).Watch({ service: '' });
    const first = await new Promise((resolve) => stream.once('data', resolve));
    stream.cancel();
    stream.on('error', () => undefined);
    expect(first).toEqual({ status: 'SERVING' });
  });
});

describe('reflection', () => {
  it('lists ncg’s services, health and reflection itself', async () => {
    const client = reflectionClient();
    const r = await reflect(client, { list_services: '' });
    client.close();
    const names = r.list_services_response.service.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['ncg.v1.JobService', 'ncg.v1.ClusterService', 'grpc.health.v1.Health']));
  });

  it('serves a self-contained file descriptor of JobService with the .proto field names', async () => {
    const client = reflectionClient();
    const r = await reflect(client, { file_containing_symbol: 'ncg.v1.JobService' });
    client.close();
    const files = r.file_descriptor_response.file_descriptor_proto as Buffer[];
    expect(files).toHaveLength(1);
    const text = Buffer.concat(files).toString('latin1');
    // Field names as the .proto spells them, so grpcurl users can use them.
    expect(text).toContain('gpus_per_node');
    // Self-contained: every type JobService uses is in the files served (proto-loader merges a package's
    // files into one descriptor, `ncg_v1.proto`).
    expect(text).toContain('ncg_v1.proto');
    expect(text).toContain('SubmitJobRequest');
    expect(text).toContain('JobEvent');
    expect(text).not.toContain('google.protobuf');
  });
});

describe('ClusterService.List', () => {
  it('lists clusters with sites, pools, GPU types and free/total GPUs', async () => {
    const r = await h.call(h.clusters, 'List', {});
    expect(r.err).toBeUndefined();
    const isb = r.res.clusters.find((c: { id: string }) => c.id === 'isb-k8s');
    expect(isb).toMatchObject({ kind: 'sim', state: 'active', reachable: true, site: { id: 'coe-islamabad', city: 'Islamabad' }, total_gpus: 40 });
    expect(isb.pools.map((p: { gpu_type: string; total_gpus: number; free_gpus: number }) => [p.gpu_type, p.total_gpus, p.free_gpus])).toEqual([
      ['H100-80GB', 32, 32],
      ['L40S', 8, 8],
    ]);
    expect(r.res.clusters.find((c: { id: string }) => c.id === 'qta-slurm')).toMatchObject({ state: 'draining' });
  });

  it('needs a token', async () => {
    expect((await h.call(h.clusters, 'List', {}, { token: null })).err?.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('shutdown', () => {
  it('ends open watches with UNAVAILABLE naming where to resume, reports NOT_SERVING, and closes within the grace period', async () => {
    const other = await startGrpcHarness();
    try {
      const job = (await other.call(other.jobs, 'Submit', validSubmit())).res.job;
      const watch = (other.jobs as any).Watch({ id: job.id }, other.metadata());
      const seen: any[] = [];
      watch.on('data', (m: unknown) => seen.push(m));
      const ended = new Promise<grpc.StatusObject>((resolve) => watch.on('status', resolve));
      watch.on('error', () => undefined);
      const health = (other.health as any).Watch({ service: '' });
      const statuses: string[] = [];
      health.on('data', (m: { status: string }) => statuses.push(m.status));
      health.on('error', () => undefined);
      while (seen.length === 0 || statuses.length === 0) await new Promise((r) => setTimeout(r, 10));

      const started = Date.now();
      await other.server.close(10_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      const status = await ended;
      expect(status.code).toBe(grpc.status.UNAVAILABLE);
      expect(status.details).toContain(`after_event_id=${seen[0].event.id}`);
      expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    } finally {
      await other.close();
    }
  });
});
