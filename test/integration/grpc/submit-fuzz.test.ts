/**
 * Fuzzing `JobService.Submit` (issue 4, "Bad input"): more than 2,000 random requests — typed ones through
 * the generated client with random field values, raw random bytes, and raw protobuf with wrong wire types
 * and out-of-range values — get only client-error statuses (or OK for the few that are valid), never
 * INTERNAL/UNKNOWN, the server keeps serving, and the jobs table grows by exactly the jobs created.
 */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtos, serviceConstructor } from '../../../src/api/grpc/index.js';
import { startGrpcHarness, validSubmit, type GrpcHarness } from './grpc-harness.js';
import { wireMessageArb } from './wire-format.js';

/** Statuses a client mistake may earn: the gRPC faces of 400, 401, 403, 404, 409 and 422. */
const CLIENT_ERRORS = new Set([
  grpc.status.INVALID_ARGUMENT,
  grpc.status.UNAUTHENTICATED,
  grpc.status.PERMISSION_DENIED,
  grpc.status.NOT_FOUND,
  grpc.status.ALREADY_EXISTS,
  grpc.status.FAILED_PRECONDITION,
]);

const TYPED_RUNS = 1_200;
const RAW_BYTES_RUNS = 400;
const WIRE_RUNS = 600;

let h: GrpcHarness;
let raw: grpc.Client;
const submitMethod = serviceConstructor(loadProtos(), 'ncg.v1.JobService').service.Submit!;
const tally = { requests: 0, ok: 0, created: 0, byCode: new Map<number, number>() };

beforeAll(async () => {
  h = await startGrpcHarness();
  raw = new grpc.Client(`127.0.0.1:${h.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  raw?.close();
  await h?.close();
});

/** Record one outcome; fail on anything that is not a client error or a success. */
function record(err: grpc.ServiceError | null | undefined, res: { created?: boolean } | undefined, what: unknown): void {
  tally.requests++;
  const code = err ? err.code : grpc.status.OK;
  tally.byCode.set(code, (tally.byCode.get(code) ?? 0) + 1);
  if (code === grpc.status.OK) {
    tally.ok++;
    if (res?.created) tally.created++;
    return;
  }
  if (!CLIENT_ERRORS.has(code)) throw new Error(`status ${grpc.status[code]} (${err?.details}) for ${String(JSON.stringify(what)).slice(0, 500)}`);
}

function sendRaw(bytes: Buffer, token: string | null = 'admin'): Promise<void> {
  return new Promise((resolve, reject) => {
    raw.makeUnaryRequest('/ncg.v1.JobService/Submit', (b: Buffer) => b, (b: Buffer) => b, bytes, h.metadata(token), { deadline: Date.now() + 20_000 }, (err, out) => {
      try {
        record(err, out ? (submitMethod.responseDeserialize(out) as { created?: boolean }) : undefined, bytes.toString('hex'));
        resolve();
      } catch (e) {
        reject(e);
      }
    });
  });
}

const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', ' ', 'any', 'h100-80gb', 'inst-00-p1', '1h', '\u0000', 'é'.repeat(200)));
const int32 = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, 1, 2, 8, 64, 65, 1024, 1025, -1));
const double = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, 32, Number.NaN, Number.POSITIVE_INFINITY, 1e308, 5e-324));
const qos = fc.oneof(fc.constantFrom('QOS_UNSPECIFIED', 'QOS_NORMAL', 'QOS_HIGH', 'QOS_PREEMPTIBLE'), fc.integer({ min: 0, max: 1_000 }));

/** A random value of each SubmitJobRequest field's proto type. */
const fieldArbs: Record<string, fc.Arbitrary<unknown>> = {
    name: anyText,
    project: fc.oneof(fc.constantFrom('inst-00-p1', 'inst-01-p1', 'nope'), anyText),
    gpu_types: fc.array(fc.oneof(anyText, fc.constantFrom('H100-80GB', 'l40s', 'a100-40gb', 'b200')), { maxLength: 20 }),
    nodes: int32,
    gpus_per_node: int32,
    cpus_per_node: int32,
    memory_gb_per_node: double,
    walltime: fc.oneof(anyText, fc.constantFrom('90m', '1h30m', '2d', '01:30:00', '31d', '0', '-5', '1e9')),
    qos,
    preferred_site: fc.oneof(anyText, fc.constantFrom('coe-islamabad', 'aux-quetta')),
    image: anyText,
    command: fc.array(anyText, { maxLength: 300 }),
    script: fc.oneof(anyText, fc.constant('x'.repeat(300_000))),
    env: fc.dictionary(fc.oneof(anyText, fc.constantFrom('__proto__', 'A', 'constructor')), anyText, { maxKeys: 8 }),
    sim: fc.record({ duration_seconds: double, exit_code: int32, gpu_util_pct: double }, { requiredKeys: [] }),
    idempotency_key: fc.oneof(anyText, fc.constantFrom('k-1', 'k-2')),
};

/** 1–5 fields of a valid submission replaced (so most requests get past the first check), or any subset from scratch. */
const fieldsArb = (min: number, max: number) =>
  fc.shuffledSubarray(Object.keys(fieldArbs), { minLength: min, maxLength: max }).chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, fieldArbs[k]!]))));

const fuzzCase = fc.oneof(
  fc.record({ overrides: fieldsArb(1, 5), fromScratch: fc.constant(false) }),
  fc.record({ overrides: fieldsArb(0, Object.keys(fieldArbs).length), fromScratch: fc.constant(true) }),
).chain((c) => fc.record({ overrides: fc.constant(c.overrides), fromScratch: fc.constant(c.fromScratch), token: fc.constantFrom('admin', 'admin', 'admin', 'inst-00-r1', 'ncg_not-a-token') }));

describe('JobService.Submit under fuzzing', () => {
  it(`answers ${TYPED_RUNS} typed random requests with client errors only`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, async ({ overrides, token, fromScratch }) => {
        const request = fromScratch ? overrides : validSubmit(overrides);
        const r = await h.call(h.jobs, 'Submit', request, { token });
        record(r.err, r.res, request);
      }),
      { numRuns: TYPED_RUNS },
    );
  }, 300_000);

  it(`answers ${RAW_BYTES_RUNS} raw random byte strings with client errors only`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.constantFrom<string | null>('admin', null), (bytes, token) => sendRaw(Buffer.from(bytes), token)),
      { numRuns: RAW_BYTES_RUNS },
    );
  }, 300_000);

  it(`answers ${WIRE_RUNS} raw protobuf messages with wrong wire types and out-of-range values with client errors only`, async () => {
    await fc.assert(fc.asyncProperty(wireMessageArb, (bytes) => sendRaw(bytes)), { numRuns: WIRE_RUNS });
  }, 300_000);

  it('sent at least 2,000 requests, mostly refused, and the queue grew by exactly the jobs created', async () => {
    expect(tally.requests).toBeGreaterThanOrEqual(2_000);
    expect(tally.byCode.get(grpc.status.INVALID_ARGUMENT) ?? 0).toBeGreaterThan(tally.requests / 2);
    // Rejected requests left nothing behind: every row is a job some call reported as created.
    expect(await h.jobCount()).toBe(tally.created);
    const events = await h.db.selectFrom('job_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(tally.created);
    // Still serving, and a valid request still works.
    expect((await h.call(h.health, 'Check', { service: '' }, { token: null })).res).toEqual({ status: 'SERVING' });
    const ok = await h.call(h.jobs, 'Submit', validSubmit());
    expect(ok.res?.created).toBe(true);
    console.info(`gRPC Submit fuzz: ${tally.requests} requests, ${tally.created} created; statuses ${JSON.stringify(Object.fromEntries([...tally.byCode].map(([c, n]) => [grpc.status[c], n])))}`);
  });
});
