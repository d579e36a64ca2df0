/**
 * PostgreSQL restarted under a running ncg (issue 11): a private PostgreSQL cluster of this test (never the
 * shared server at 5432, which other test files use meanwhile), one `ncg serve` on it with the sim grid at
 * high speed and a submission load running. While PostgreSQL is down, /readyz answers 503 (so a load
 * balancer stops sending traffic) and /healthz stays 200 (so nothing restarts the pod); once it is back,
 * ncg reconnects, reports ready, takes the leader lease again, and every submission it acknowledged —
 * before, during or after the outage — is in the database and ends in a final state.
 *
 * Needs the PostgreSQL server binaries (initdb, pg_ctl): skipped loudly without them, failing under
 * NCG_REQUIRE_SERVICES=1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_JOB_STATES } from '../../src/domain/types.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/index.js';
import { NcgProcess } from '../helpers/ha/ncg-process.js';
import { PrivatePostgres, postgresBinDir } from '../helpers/ha/private-postgres.js';
import { SubmitLoad } from '../helpers/ha/submit-load.js';
import { waitAllFinal } from '../helpers/ha/ha-grid.js';
import { requireService } from '../helpers/require-service.js';

// 1 s keeps the suite fast; NCG_TEST_HA_LEASE_SECONDS=5 measures at the production default.
const LEASE_MS = Number(process.env.NCG_TEST_HA_LEASE_SECONDS ?? '1') * 1000;
const gate = await requireService(
  'postgresql-server',
  async () => {
    if (!postgresBinDir()) throw new Error('no initdb/pg_ctl under /usr/lib/postgresql/<version>/bin');
  },
  { hint: 'install the PostgreSQL server package (Debian: postgresql-15), which brings initdb and pg_ctl' },
);

describe.runIf(gate.available)('PostgreSQL restarted under a running ncg', () => {
  let pg: PrivatePostgres | undefined;
  let ncg: NcgProcess | undefined;
  let check: OpenedDatabase | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'ncg-ha-pg-'));

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    // First start on an empty database: ncg migrates it and seeds the national grid itself.
    ncg = await NcgProcess.start('ncg', {
      DATABASE_URL: pg.url(),
      NCG_DATA_DIR: dataDir,
      NCG_LEADER_LEASE_PERIOD_SECONDS: String(LEASE_MS / 1000),
      NCG_SCHEDULER_INTERVAL_SECONDS: '1',
      NCG_SIM_SPEED: '60',
    });
  }, 120_000);

  afterAll(async () => {
    await ncg?.destroy();
    await NcgProcess.destroyAll();
    await check?.close().catch(() => undefined);
    await pg?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('is not ready while PostgreSQL is gone, reconnects, and loses no acknowledged submission', { timeout: 120_000 }, async () => {
    const server = ncg!;
    const db = pg!;
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    check = await openDatabase({ url: db.url(), poolSize: 2 });
    const project = (await check.db.selectFrom('projects').select('id').where('institution_id', '=', 'itu').orderBy('id').executeTakeFirstOrThrow()).id;
    const target = { name: server.name, url: server.url, active: true };
    // Sim jobs of 30–90 simulated seconds: 0.5–1.5 s at speed 60.
    const load = new SubmitLoad({
      targets: [target], token, keyPrefix: 'pg', pauseMs: 80,
      body: (n) => ({ name: `pg-${n}`, project, gpuType: 'l40s', gpusPerNode: 1, cpusPerNode: 1, memoryGbPerNode: 2, walltime: '10m', sim: { durationSeconds: 30 * (1 + (n % 3)) } }),
    });
    const probes: { ready: number; live: number; at: number; end: number }[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const at = Date.now();
        const [ready, live] = await Promise.all([
          server.readyStatus(),
          fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status, () => 0),
        ]);
        probes.push({ ready, live, at, end: Date.now() });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const until = async (what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${server.tail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    let stopAt = 0;
    let downAt = 0;
    let startAt = 0;
    let upAt = 0;
    let leadingAgainAt = 0;
    load.start();
    try {
      await until('ready, leading, and some submissions acknowledged', async () => load.acked.size >= 5 && (await server.isLeader()) === true, 30_000);
      expect(probes.at(-1)?.ready).toBe(200);

      stopAt = Date.now();
      await db.stop();
      downAt = Date.now();
      // Down until ncg has said so on /readyz, and for at least one more lease period.
      await until('/readyz to answer 503', () => probes.some((p) => p.at >= downAt && p.ready === 503), 15_000);
      await new Promise((r) => setTimeout(r, LEASE_MS));
      startAt = Date.now();
      await db.start();
      upAt = Date.now();
      await until('/readyz to answer 200 again', () => probes.some((p) => p.at >= upAt && p.ready === 200), 30_000);
      await until('the leader lease to be taken again', async () => (await server.isLeader()) === true, 15_000);
      leadingAgainAt = server.leadershipChanges().find((c) => c.leader && c.at >= upAt)?.at ?? Date.now();
      // Submissions after the restart go through and are dispatched.
      const after = load.acked.size;
      await until('submissions after the restart', () => load.acked.size >= after + 5, 30_000);
    } finally {
      await load.stop();
      probing = false;
      await prober;
    }

    const firstNotReady = probes.find((p) => p.at >= stopAt && p.ready !== 200);
    const backReady = probes.find((p) => p.at >= upAt && p.ready === 200);
    const notReadyMs = backReady && firstNotReady ? backReady.at - firstNotReady.at : NaN;
    console.log(
      `HA: PostgreSQL stop took ${downAt - stopAt} ms; /readyz not ready ${firstNotReady ? firstNotReady.at - stopAt : '?'} ms after the stop began; ` +
        `ready again ${backReady ? backReady.at - upAt : '?'} ms after PostgreSQL accepted connections; not ready for ${notReadyMs} ms in all (PostgreSQL down ${upAt - downAt} ms); ` +
        `leading again ${leadingAgainAt - upAt} ms after PostgreSQL was back`,
    );
    // Not ready while it was gone (probes made wholly between the stop and the start); live throughout
    // (the process neither crashed nor hung).
    const whileDown = probes.filter((p) => p.at >= downAt && p.end < startAt);
    expect(whileDown.length).toBeGreaterThan(5);
    expect(whileDown.filter((p) => p.ready !== 503)).toEqual([]);
    expect(probes.filter((p) => p.live !== 200)).toEqual([]);
    expect(server.alive).toBe(true);
    expect(backReady!.at - upAt).toBeLessThan(5_000);

    // Submissions during the outage were told to come back (503 unavailable), not that the server broke.
    const failed = load.calls.filter((c) => c.status !== 201 && c.status !== 200);
    console.log(`HA: ${failed.length} submission calls without a 2xx during the outage: ${JSON.stringify([...new Set(failed.map((c) => `${c.status} ${c.error}`))])}`);
    expect(failed.filter((c) => c.status !== 503)).toEqual([]);
    // Every acknowledged submission is in the database and ends in a final state.
    const ids = [...load.acked.values()].map((s) => s.jobId);
    const states = await waitAllFinal(check, ids, 60_000);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect([...states.values()].every((s) => FINAL_JOB_STATES.includes(s as never))).toBe(true);
    const byState: Record<string, number> = {};
    for (const s of states.values()) byState[s] = (byState[s] ?? 0) + 1;
    console.log(`HA: ${ids.length} acknowledged submissions around the PostgreSQL restart, final states ${JSON.stringify(byState)}`);
    expect(byState).toEqual({ succeeded: ids.length });
  });
});
