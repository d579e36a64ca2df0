/**
 * Fuzzing POST /v1/jobs on a real HTTP server (the app in process on 127.0.0.1:0, PGlite) with fast-check:
 * arbitrary JSON, near-valid bodies with one field mutated or removed, wrong types, huge strings, any
 * Unicode (lone surrogates and NUL included), prototype-pollution keys, deep nesting, broken JSON and odd
 * Idempotency-Keys. The server must answer every one with a 2xx (a valid job) or a 4xx in the error shape —
 * never a 5xx — stay up, leave Object.prototype alone, and change the queue only by the jobs it accepted.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../../src/api/schemas/common.js';
import { jobViewSchema } from '../../../src/api/schemas/job-view.js';
import { startApiHarness, validJob, type ApiHarness } from './api-harness.js';

/** Total bodies sent must reach this (issue 4 asks for at least 2,000). */
const MIN_BODIES = 2_000;
const SEED = Number(process.env.NCG_FUZZ_SEED ?? 20261128);

let h: ApiHarness;
const tally = { sent: 0, accepted: 0, rejected: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  h = await startApiHarness('pglite');
});
afterAll(async () => h?.close());

async function count(table: 'jobs' | 'job_events'): Promise<number> {
  const r = await h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Send one raw body; assert the answer is a documented 2xx or a 4xx error, never a 5xx. */
async function send(raw: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${h.url}/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/json', ...headers }, body: raw });
  const text = await res.text();
  tally.sent++;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  if (res.status === 201 || res.status === 200) {
    jobViewSchema.parse(JSON.parse(text));
    if (res.status === 201) tally.accepted++;
    return;
  }
  tally.rejected++;
  if (res.status < 400 || res.status >= 500) throw new Error(`status ${res.status} for ${raw.slice(0, 300)}: ${text.slice(0, 500)}`);
  errorBodySchema.parse(JSON.parse(text));
}

const FIELDS = ['name', 'project', 'gpuType', 'nodes', 'gpusPerNode', 'cpusPerNode', 'memoryGbPerNode', 'walltime', 'qos', 'preferredSite', 'image', 'command', 'script', 'env', 'sim'];
const nasty = fc.constantFrom<unknown>(
  null, '', 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, true, [], {}, 'any', 'ANY', '0', '1h', '-1h', '99999999999999999999d', '01:99:00',
  '\u0000', '\ud800', 'e\u0301', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '\u202e', '<script>', "'; drop table jobs; --", '__proto__', 'constructor', ['any'], ['h100-80gb', 'nope'], { durationSeconds: 1 },
);
const anyUnicode = fc.string({ unit: 'binary', maxLength: 64 });
// Mostly under the 1 MiB limit (so they reach validation); escaped NUL and astral characters can push past it (413).
const huge = fc.tuple(fc.integer({ min: 5_000, max: 200_000 }), fc.constantFrom('x', 'é', '𝔘', '\u0000', '\ud800', '"')).map(([n, c]) => c.repeat(n));
// Huge strings are rarer than the rest: they are slow to send, and a few of them find what many would.
const value = fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 }, { arbitrary: nasty, weight: 4 }, { arbitrary: anyUnicode, weight: 3 }, { arbitrary: huge, weight: 1 });

/** A valid body, then one field replaced, removed or joined by a stranger. */
const nearValid = fc.tuple(fc.constantFrom(...FIELDS, 'colour', 'user', 'id'), fc.option(value, { nil: undefined }), fc.constantFrom('inst-00', 'inst-01', 'inst-02')).map(([field, v, inst]) => {
  const body: Record<string, unknown> = validJob({}, inst);
  if (v === undefined) delete body[field];
  else body[field] = v;
  return JSON.stringify(body);
});

/** A valid body with a nested value `depth` levels deep in one field (or as the whole body). */
const deep = fc.tuple(fc.integer({ min: 10, max: 200_000 }), fc.constantFrom('name', 'command', 'env', 'sim', 'gpuType', '(body)'), fc.constantFrom('[', '{"a":')).map(([depth, field, open]) => {
  const close = open === '[' ? ']' : '}';
  const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
  if (field === '(body)') return nested;
  return JSON.stringify(validJob()).replace(/}$/, `,"${field}x":0}`).replace(`"${field}x":0`, `"${field}":${nested}`).replace(`"${field}":${JSON.stringify((validJob() as Record<string, unknown>)[field] ?? null)},`, '');
});

/** Prototype-pollution keys at the top, in env and in sim, as raw JSON (a JS literal would set the prototype). */
const polluted = fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('top', 'env', 'sim'), fc.constantFrom('{"polluted":1}', '"x"', '{"toString":1}', 'null')).map(([key, where, v]) => {
  const base = JSON.stringify({ ...validJob(), env: { A: '1' }, sim: { durationSeconds: 5 } });
  if (where === 'top') return base.replace(/^{/, `{"${key}":${v},`);
  return base.replace(where === 'env' ? '"env":{' : '"sim":{', (m) => `${m}"${key}":${v},`);
});

/** Not JSON at all, or JSON cut short. */
const broken = fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((j) => JSON.stringify(j).slice(0, -1) + '\u0000'));

describe('fuzzing POST /v1/jobs', () => {
  it(`answers ≥ ${MIN_BODIES} random bodies with 2xx or 4xx only, and the queue grows only by accepted jobs`, async () => {
    const [jobsBefore, eventsBefore] = [await count('jobs'), await count('job_events')];
    const run = (arb: fc.Arbitrary<string>, numRuns: number) => fc.assert(fc.asyncProperty(arb, (raw) => send(raw)), { numRuns, seed: SEED, endOnFailure: true });

    await run(fc.jsonValue({ maxDepth: 4 }).map((j) => JSON.stringify(j)), 400);
    await run(fc.dictionary(fc.constantFrom(...FIELDS, 'x'), value, { maxKeys: 8 }).map((d) => JSON.stringify(d)), 400);
    await run(nearValid, 700);
    await run(deep, 120);
    await run(polluted, 120);
    await run(broken, 200);
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[\x20-\x7e]{0,220}$/), fc.boolean(), async (key, same) => {
        await send(JSON.stringify(validJob({ name: same ? 'keyed' : `keyed-${key.length}` })), { 'idempotency-key': key });
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );

    expect(tally.sent).toBeGreaterThanOrEqual(MIN_BODIES);
    expect(tally.rejected).toBeGreaterThan(tally.sent / 2);
    expect(tally.accepted).toBeGreaterThan(0);
    // The queue changed by exactly the jobs accepted: one row and one event each, nothing from rejections.
    expect(await count('jobs')).toBe(jobsBefore + tally.accepted);
    expect(await count('job_events')).toBe(eventsBefore + tally.accepted);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'toString')).toBe(true);
    expect((await h.call('GET', '/healthz', { token: null })).status).toBe(200);
    console.info(`fuzz: ${tally.sent} bodies, ${tally.accepted} accepted, statuses ${JSON.stringify(Object.fromEntries(tally.byStatus))}`);
  }, 600_000);

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const before = await count('jobs');
    for (const size of [1_048_577, 3_000_000]) {
      const r = await h.call('POST', '/v1/jobs', { body: JSON.stringify({ ...validJob(), script: 'x'.repeat(size) }) });
      expect(r.status).toBe(413);
      expect(r.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('1048576') });
    }
    expect(await count('jobs')).toBe(before);
  });
});
