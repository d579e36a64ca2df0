/**
 * Group commit of submissions (src/services/submit-batcher.ts) on PGlite: concurrent submissions share
 * statements yet each gets its own job and event; a key repeated inside one batch stores one job; a row
 * the database refuses fails only its own submission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import type { JobSpec } from '../../../src/domain/types.js';
import { SubmitBatcher } from '../../../src/services/submit-batcher.js';
import { newJobId, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import type { NewJob } from '../../../src/store/repositories/jobs.js';
import { openPgliteTestDb } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const spec: JobSpec = { name: 'b', projectId: 'inst-00-p1', gpuTypes: ['any'], nodes: 1, gpusPerNode: 1, cpusPerNode: 8, memoryGbPerNode: 32, walltimeSeconds: 60, qos: 'normal' };
const job = (over: Partial<NewJob> = {}): NewJob => ({ id: newJobId(), institutionId: 'inst-00', userId: 'inst-00-r1', spec, submittedAt: Date.now(), ...over });

let opened: OpenedDatabase;
beforeAll(async () => {
  opened = await openPgliteTestDb();
  await writeGridSeed(opened.db, gridFixture(2));
});
afterAll(async () => opened?.close());

describe('SubmitBatcher', () => {
  it('stores every one of many concurrent submissions, each with its event', async () => {
    const batcher = new SubmitBatcher(opened.db, { maxBatch: 16, maxInFlight: 1 });
    const input = Array.from({ length: 50 }, () => job());
    const stored = await Promise.all(input.map((j) => batcher.submit(j)));
    expect(stored.map((s) => s?.id)).toEqual(input.map((j) => j.id));
    const events = await opened.db.selectFrom('job_events').select('job_id').where('job_id', 'in', input.map((j) => j.id)).execute();
    expect(events).toHaveLength(50);
  });

  it('stores one job for a key repeated within a batch and answers undefined for the repeat', async () => {
    const batcher = new SubmitBatcher(opened.db);
    const [a, b] = await Promise.all([batcher.submit(job({ clientKey: 'same' })), batcher.submit(job({ clientKey: 'same' }))]);
    expect([a, b].filter((x) => x !== undefined)).toHaveLength(1);
    const rows = await opened.db.selectFrom('jobs').select('id').where('client_key', '=', 'same').execute();
    expect(rows).toHaveLength(1);
  });

  it('fails only the submission the database refuses', async () => {
    const batcher = new SubmitBatcher(opened.db, { maxInFlight: 1 });
    // inst-01's project under inst-00 breaks the (project, institution) foreign key.
    const bad = job({ institutionId: 'inst-00', spec: { ...spec, projectId: 'inst-01-p1' } });
    const good = [job(), job(), job()];
    const results = await Promise.allSettled([batcher.submit(good[0]!), batcher.submit(bad), batcher.submit(good[1]!), batcher.submit(good[2]!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(isDomainError(reason) && reason.code).toBe('invalid');
    const stored = await opened.db.selectFrom('jobs').select('id').where('id', 'in', [...good, bad].map((j) => j.id)).execute();
    expect(stored.map((r) => r.id).sort()).toEqual(good.map((j) => j.id).sort());
  });
});
