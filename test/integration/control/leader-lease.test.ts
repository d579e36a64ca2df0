/**
 * The leader lease on a real PostgreSQL: two leases on one database → exactly one leader; the leader's
 * session killed → it knows at once and the standby takes over within two lease periods; a release hands
 * over at once; a leader paused past its validity stops counting itself leader (the server side of a
 * frozen leader — idle_session_timeout — is shown with a SIGSTOP'd process in test/ha). Skipped loudly
 * without PostgreSQL (fails under NCG_REQUIRE_SERVICES=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PgAdvisoryLease } from '../../../src/control/pg-advisory-lease.js';
import { LocalLease } from '../../../src/control/lease.js';
import { postgresGate } from '../../helpers/db.js';
import { createTestDatabase } from '../../helpers/postgres-template.js';
import { openDatabase, type OpenedDatabase } from '../../../src/store/index.js';
import type { Controller } from '../../../src/control/controller.js';
import { controllerFor, setUpGrid } from './control-harness.js';

const PERIOD = 500;
const gate = await postgresGate();

/** Resolve once `cond()` holds, polling every 10 ms; reject after `ms`. Returns the time it took. */
async function waitFor(cond: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - t0;
}

describe('LocalLease', () => {
  it('is leader from start to release, and says so to listeners', async () => {
    const lease = new LocalLease();
    const seen: boolean[] = [];
    lease.onChange((l) => seen.push(l));
    expect(lease.isLeader()).toBe(false);
    await lease.start();
    expect(lease.isLeader()).toBe(true);
    await lease.release();
    expect(seen).toEqual([true, false]);
  });
});

describe.runIf(gate.available)('PgAdvisoryLease on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: pg.Client;
  const leases: PgAdvisoryLease[] = [];
  const lease = (name: string, leasePeriodMs = PERIOD): PgAdvisoryLease => {
    const l = new PgAdvisoryLease({ url: database.url, leasePeriodMs, applicationName: name, lockKey: 4242 });
    leases.push(l);
    return l;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(leases.map((l) => l.release()));
    await admin?.end();
    await database?.drop();
  });

  it('of two leases on one database exactly one leads, and keeps leading', async () => {
    const a = lease('lease-a1');
    const b = lease('lease-b1');
    await a.start();
    await b.start();
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await new Promise((r) => setTimeout(r, PERIOD * 3));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await a.release();
    await b.release();
  });

  it('when the leader session is killed, it drops leadership at once and the standby takes over within two lease periods', async () => {
    const a = lease('lease-a2');
    const b = lease('lease-b2');
    await a.start();
    await b.start();
    expect(a.isLeader()).toBe(true);
    const changes: string[] = [];
    a.onChange((l) => changes.push(`a:${l}`));
    b.onChange((l) => changes.push(`b:${l}`));
    const killed = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'lease-a2'`);
    expect(killed.rowCount).toBe(1);
    const tookOver = await waitFor(() => b.isLeader(), PERIOD * 2, 'the standby to take over');
    expect(tookOver).toBeLessThan(PERIOD * 2);
    await waitFor(() => !a.isLeader(), 50, 'the old leader to notice');
    expect(changes).toContain('a:false');
    // The old leader reconnects as a standby and stays one.
    await new Promise((r) => setTimeout(r, PERIOD * 3));
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
    await a.release();
    await b.release();
  });

  it('a leader paused longer than its validity stops counting itself leader before it hears anything, then leads again', async () => {
    const a = lease('lease-a4');
    await a.start();
    expect(a.isLeader()).toBe(true);
    const changes: boolean[] = [];
    a.onChange((l) => changes.push(l));
    // Block this event loop (a GC pause, a frozen process): no check can run, no socket event is heard.
    const until = performance.now() + 1.6 * PERIOD;
    while (performance.now() < until) {
      // busy
    }
    // The first question after the pause is answered from the clock: not leader, and the session is dropped.
    expect(a.isLeader()).toBe(false);
    expect(changes).toEqual([false]);
    // Nobody else wanted the lock: it takes it again as a standby would.
    await waitFor(() => a.isLeader(), PERIOD * 4, 'the lease to be taken again');
    expect(changes).toEqual([false, true]);
    await a.release();
  });

  it('a released lease hands over at once (not at the standby\'s next retry)', async () => {
    const a = lease('lease-a3', 4 * PERIOD);
    const b = lease('lease-b3', 4 * PERIOD);
    await a.start();
    await b.start();
    await new Promise((r) => setTimeout(r, 50)); // b is now blocked waiting for the lock
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await a.release();
    const tookOver = await waitFor(() => b.isLeader(), PERIOD * 2, 'the standby to take over');
    expect(tookOver).toBeLessThan(2 * PERIOD); // half of one period of these leases
    const held = await admin.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 4242 and granted`);
    expect(held.rows[0].n).toBe(1);
    await b.release();
  });
});

describe.runIf(gate.available)('controllers on PostgreSQL leases', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let opened: OpenedDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    opened = await openDatabase({ url: database.url, poolSize: 4 });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await opened?.close();
    await database?.drop();
  });

  it('only the leader cycles; when its lease session dies it stops at once and the standby starts cycling', async () => {
    const grid = await setUpGrid(opened.db);
    const counts = { a: 0, b: 0 };
    const make = (name: 'a' | 'b'): Controller =>
      controllerFor(grid, {
        lease: new PgAdvisoryLease({ url: database.url, leasePeriodMs: PERIOD, applicationName: `ctl-${name}`, lockKey: 4343 }),
        intervalMs: 50,
        onCycle: () => counts[name]++,
      });
    const a = make('a');
    const b = make('b');
    await a.start();
    await b.start();
    try {
      await waitFor(() => counts.a >= 3, 10_000, 'the leader to cycle');
      expect(counts.b).toBe(0);
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ctl-a'`);
      await waitFor(() => counts.b >= 1, PERIOD * 2 + 1_000, 'the standby to cycle');
      const frozen = counts.a;
      await new Promise((r) => setTimeout(r, 300));
      expect(counts.a).toBeLessThanOrEqual(frozen + 1); // at most the cycle that was in flight
      expect(counts.b).toBeGreaterThan(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
