/**
 * Jobs are stamped on the grid's clock: on simulated clusters at NCG_SIM_SPEED > 1 the control loop runs on
 * simulated time, so the JobService must stamp submit and cancel times on that same clock (not wall time),
 * or a job's submit, start and end would sit on two timelines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobService } from '../../../src/services/job-service.js';
import { createApiToken, resolveToken, writeGridSeed, type OpenedDatabase } from '../../../src/store/index.js';
import type { Principal } from '../../../src/domain/principal.js';
import { openPgliteTestDb } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';
import { validJob } from './api-harness.js';

describe('JobService clock', () => {
  let opened: OpenedDatabase;
  let researcher: Principal;
  // A simulated clock far ahead of wall time, as at a high sim speed.
  const gridNow = Date.UTC(2031, 0, 1, 12, 0, 0);

  beforeAll(async () => {
    opened = await openPgliteTestDb();
    await writeGridSeed(opened.db, gridFixture(3));
    const { secret } = await createApiToken(opened.db, { userId: 'inst-00-r1', name: 'clock' });
    researcher = (await resolveToken(opened.db, secret))!;
  });
  afterAll(async () => {
    await opened.close();
  });

  it('stamps submit and cancel times, and events, on the grid clock; caches still use wall time', async () => {
    let t = gridNow;
    const jobs = new JobService({ db: opened.db, now: () => t });
    const { job } = await jobs.submit(researcher, validJob());
    expect(job.submittedAt).toBe(gridNow);
    t = gridNow + 90_000;
    await jobs.cancel(researcher, job.id);
    const detail = await jobs.get(researcher, job.id);
    expect(detail.job.state).toBe('cancelled');
    expect(detail.job.endedAt).toBe(gridNow + 90_000);
    expect(detail.events.map((e) => e.at)).toEqual([gridNow, gridNow + 90_000]);
  });
});
