/**
 * High availability, shown with real processes (issue 11): two `ncg serve` replicas on one real
 * PostgreSQL database and one shared Kubernetes cluster (the API server fake in this process), with a
 * submission load through both and a 1 s leader lease. The replicas start together on an empty database
 * (both migrate, exactly one seeds, both come up).
 *
 * 1. SIGKILL of the leader under load: the standby takes over the control loop within two lease periods,
 *    every acknowledged submission is in the database and ends in a final state, no job gets a second
 *    Kubernetes Job, and every call to the surviving replica succeeds throughout.
 * 2. The killed replica, started again, joins as a standby.
 * 3. A frozen leader (SIGSTOP), its connections still open: the lease expires, the standby takes over
 *    within two lease periods, and the resumed process finds itself a standby and dispatches nothing.
 * 4. SIGTERM of the leader: a request in flight at the signal finishes, the standby takes over at once
 *    (the lock is released, not timed out), and the process exits 0 within 10 s.
 *
 * Takeover and exit times are printed; docs/deployment.md ("HA, as measured") records them.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresGate } from '../helpers/db.js';
import { haJob, startHaGrid, waitAllFinal, type HaGrid } from '../helpers/ha/ha-grid.js';
import { NcgProcess } from '../helpers/ha/ncg-process.js';
import { SubmitLoad, type LoadTarget } from '../helpers/ha/submit-load.js';

// 1 s keeps the suite fast; NCG_TEST_HA_LEASE_SECONDS=5 measures at the production default.
const LEASE_MS = Number(process.env.NCG_TEST_HA_LEASE_SECONDS ?? '1') * 1000;
const gate = await postgresGate();

describe.runIf(gate.available)('leader failover with real ncg processes on PostgreSQL', () => {
  let grid: HaGrid;
  const procs: NcgProcess[] = [];
  /** Every job id a replica acknowledged, across the tests of this file. */
  const acked = new Set<string>();
  let a: NcgProcess;
  let b: NcgProcess;

  const start = async (name: string) => {
    const p = await NcgProcess.start(name, grid.env(name));
    procs.push(p);
    return p;
  };

  /** Poll `ncg_leader` until exactly one of `ps` leads; returns [leader, standby]. */
  const leaderOf = async (ps: NcgProcess[], timeoutMs = 10 * LEASE_MS): Promise<[NcgProcess, NcgProcess]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const flags = await Promise.all(ps.map((p) => p.isLeader()));
      const leaders = ps.filter((_, i) => flags[i] === true);
      if (leaders.length === 1 && flags.every((f) => f !== undefined)) return [leaders[0]!, ps.find((p) => p !== leaders[0])!];
      if (Date.now() > deadline) throw new Error(`no single leader among ${ps.map((p) => p.name).join(', ')}: ncg_leader = ${JSON.stringify(flags)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const loadOver = (targets: LoadTarget[], prefix: string) =>
    new SubmitLoad({ targets, token: grid.token, keyPrefix: prefix, pauseMs: 80, body: (n) => haJob(grid.project, `${prefix}-${n}`, 1 + (n % 3)) });

  /** Until `cond` or the deadline; a poll, never a fixed sleep. */
  const until = async (what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    grid = await startHaGrid({ leasePeriodSeconds: LEASE_MS / 1000 });
    // Side by side on an empty database, as a fresh release's replicas start: both migrate, one seeds.
    [a, b] = await Promise.all([start('replica-a'), start('replica-b')]);
    const seeder = await grid.firstStartBy([a.name, b.name]);
    console.log(`HA: replicas started together on an empty database; ${seeder} seeded it`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.destroy()));
    await NcgProcess.destroyAll(); // one whose start failed (and so is not in procs), if any
    await grid?.close();
  }, 60_000);

  it('SIGKILL of the leader under load: the standby takes over within two lease periods, nothing acknowledged is lost or dispatched twice', { timeout: 90_000 }, async () => {
    const [leader, standby] = await leaderOf([a, b]);
    const targets: LoadTarget[] = [leader, standby].map((p) => ({ name: p.name, url: p.url, active: true }));
    const load = loadOver(targets, 'kill');
    // Reads on the survivor-to-be, every 100 ms, throughout.
    const reads: { status: number; at: number }[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const at = Date.now();
        const status = await fetch(`${standby.url}/v1/clusters`, { headers: { authorization: `Bearer ${grid.token}` }, signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0);
        reads.push({ status, at });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    load.start();
    try {
      // Kill while the leader has jobs running on the cluster and submissions are arriving on both replicas.
      await until('jobs running on the cluster', () => grid.fake.list('Pod').some((p) => p.status?.['phase'] === 'Running') && load.acked.size >= 10, 30_000);
      const killedAt = leader.kill('SIGKILL');
      targets.find((t) => t.name === leader.name)!.active = false;
      // The next tests restart the killed one (a) next to the survivor (b), whatever this one concludes.
      [a, b] = [leader, standby];
      await leader.exited;

      const took = await standby.waitForLog((l) => l.leader === true && /became the control-loop leader/.test(l.msg ?? ''), 10 * LEASE_MS, killedAt);
      const takeoverMs = took.at - killedAt;
      console.log(`HA: SIGKILL of ${leader.name} → ${standby.name} leads after ${takeoverMs} ms (lease period ${LEASE_MS} ms)`);
      expect(takeoverMs).toBeLessThanOrEqual(2 * LEASE_MS);
      expect(await standby.isLeader()).toBe(true);

      // The new leader's loop dispatches: submissions made after the kill run on the cluster.
      const afterKill = load.acked.size;
      await until('submissions after the kill to start on the cluster', () => [...load.acked.values()].slice(afterKill).some((s) => grid.jobsCreated.has(s.jobId)), 20_000);
      // Keep reading the survivor for a while after the kill: on a quiet machine the takeover and the first
      // dispatch can take well under a second, which left too few reads to say "throughout".
      await until('reads of the survivor after the kill', () => reads.filter((r) => r.at >= killedAt).length > 5, 20_000);
    } finally {
      await load.stop();
      reading = false;
      await reader;
    }

    const ids = [...load.acked.values()].map((s) => s.jobId);
    for (const id of ids) acked.add(id);
    const states = await waitAllFinal(grid.database, ids, 60_000);
    const byState: Record<string, number> = {};
    for (const s of states.values()) byState[s] = (byState[s] ?? 0) + 1;
    console.log(`HA: ${ids.length} acknowledged submissions (${[...load.acked.values()].filter((s) => s.via === standby.name).length} via the survivor), final states: ${JSON.stringify(byState)}`);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    // A short sim job on a healthy cluster succeeds; a failover must not fail or cancel any.
    expect([...states.values()].every((s) => s === 'succeeded')).toBe(true);
    // Dispatched once: one Kubernetes Job per ncg job, never a second under a new key.
    const twice = ids.filter((id) => (grid.jobsCreated.get(id) ?? 0) !== 1);
    expect(twice.map((id) => `${id}: ${grid.jobsCreated.get(id) ?? 0} Jobs`)).toEqual([]);
    // The survivor answered every call, writes and reads, before and after the kill.
    expect(load.failures(standby.name)).toEqual([]);
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    expect(reads.length).toBeGreaterThan(5);
  });

  it('the killed replica, started again, joins as a standby', { timeout: 90_000 }, async () => {
    const restarted = await start(`${a.name}-restarted`);
    a = restarted;
    const [leader, standby] = await leaderOf([restarted, b]);
    expect(leader).toBe(b);
    expect(standby).toBe(restarted);
    // Still so two lease periods later: the standby keeps waiting, it does not steal the lock.
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
    expect(await restarted.isLeader()).toBe(false);
    expect(await b.isLeader()).toBe(true);
    expect(restarted.leadershipChanges().filter((c) => c.leader && c.at >= since)).toEqual([]);
  });

  it('a frozen leader (SIGSTOP: a hung process or host) loses the lease within two lease periods; resumed, it dispatches nothing', { timeout: 90_000 }, async () => {
    const [leader, standby] = await leaderOf([a, b]);
    const targets: LoadTarget[] = [leader, standby].map((p) => ({ name: p.name, url: p.url, active: true }));
    const load = loadOver(targets, 'stop');
    load.start();
    let resumedAt = 0;
    try {
      await until('jobs running and submissions through both replicas', () => grid.fake.list('Pod').some((p) => p.status?.['phase'] === 'Running') && new Set([...load.acked.values()].map((s) => s.via)).size === 2, 30_000);
      // Its TCP connections stay open (the kernel still answers for it): only a lease that expires frees the lock.
      const frozenAt = leader.kill('SIGSTOP');
      targets.find((t) => t.name === leader.name)!.active = false;
      const took = await standby.waitForLog((l) => l.leader === true && /became the control-loop leader/.test(l.msg ?? ''), 10 * LEASE_MS, frozenAt);
      const takeoverMs = took.at - frozenAt;
      console.log(`HA: SIGSTOP of ${leader.name} → ${standby.name} leads after ${takeoverMs} ms (lease period ${LEASE_MS} ms)`);
      expect(takeoverMs).toBeLessThanOrEqual(2 * LEASE_MS + 500); // the server ends the session 2 periods after its last check; slack for a loaded machine
      // The new leader dispatches while the old one is frozen.
      const after = load.acked.size;
      await until('submissions after the freeze to start on the cluster', () => [...load.acked.values()].slice(after).some((s) => grid.jobsCreated.has(s.jobId)), 20_000);

      resumedAt = leader.kill('SIGCONT');
      // Resumed, it learns it lost the lease (its session was ended) before it acts, and stays a standby.
      await leader.waitForLog((l) => l.leader === false && /no longer the control-loop leader/.test(l.msg ?? ''), 5 * LEASE_MS, resumedAt);
      await until('the resumed replica to report itself a standby', async () => (await leader.isLeader()) === false, 5 * LEASE_MS);
      targets.find((t) => t.name === leader.name)!.active = true;
      // Both serve the load again; one leader.
      const back = load.acked.size;
      await until('submissions through the resumed replica', () => [...load.acked.values()].slice(back).some((s) => s.via === leader.name), 20_000);
    } finally {
      if (resumedAt === 0) leader.kill('SIGCONT');
      await load.stop();
    }
    expect((await leaderOf([leader, standby]))[0]).toBe(standby);
    const ids = [...load.acked.values()].map((s) => s.jobId);
    for (const id of ids) acked.add(id);
    const states = await waitAllFinal(grid.database, ids, 60_000);
    expect([...states.values()].every((s) => s === 'succeeded')).toBe(true);
    // Whatever its loop had in hand when it froze, it did not dispatch again after resuming.
    expect(ids.filter((id) => (grid.jobsCreated.get(id) ?? 0) !== 1).map((id) => `${id}: ${grid.jobsCreated.get(id) ?? 0} Jobs`)).toEqual([]);
    expect(load.failures(standby.name)).toEqual([]);
  });

  it('SIGTERM of the leader: the request in flight finishes, the standby takes over at once, exit 0 within 10 s', { timeout: 90_000 }, async () => {
    const [leader, standby] = await leaderOf([a, b]);
    const targets: LoadTarget[] = [leader, standby].map((p) => ({ name: p.name, url: p.url, active: true }));
    const load = loadOver(targets, 'term');
    load.start();
    let slow: Promise<{ status: number; body: string; at: number }> | undefined;
    let termAt = 0;
    try {
      await until('submissions through both replicas', () => new Set([...load.acked.values()].map((s) => s.via)).size === 2 && load.acked.size >= 6, 30_000);
      // A request in flight when the signal arrives: headers and half the body now, the rest after it.
      const body = Buffer.from(JSON.stringify(haJob(grid.project, 'term-in-flight', 1)));
      let finishBody!: () => void;
      slow = new Promise((resolve, reject) => {
        const req = request(`${leader.url}/v1/jobs`, {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${grid.token}`, 'content-type': 'application/json', 'content-length': body.length, 'idempotency-key': 'term-in-flight' },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, at: Date.now() }));
        });
        req.on('error', reject);
        req.write(body.subarray(0, body.length >> 1));
        finishBody = () => req.end(body.subarray(body.length >> 1));
      });
      // Let the server receive the headers (the request is then in flight), then signal.
      await new Promise((r) => setTimeout(r, 200));
      termAt = leader.kill('SIGTERM');
      setTimeout(() => finishBody(), 300);

      const took = await standby.waitForLog((l) => l.leader === true && /became the control-loop leader/.test(l.msg ?? ''), 10 * LEASE_MS, termAt);
      const exit = await Promise.race([leader.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 12_000))]);
      const released = await leader.waitForLog((l) => /released the control-loop lease/.test(l.msg ?? ''), 1_000, termAt).catch(() => undefined);
      const handoverMs = took.at - termAt;
      console.log(
        `HA: SIGTERM of ${leader.name}: lease released after ${released ? released.at - termAt : '?'} ms → ${standby.name} leads after ${handoverMs} ms; ` +
          `${leader.name} exited ${JSON.stringify(exit && { code: exit.code, signal: exit.signal })} after ${exit ? exit.at - termAt : '>12000'} ms`,
      );
      expect(released, leader.tail()).toBeDefined();
      expect(exit, leader.tail()).toBeDefined();
      expect(exit!.code).toBe(0);
      expect(exit!.at - termAt).toBeLessThan(10_000);
      // Also short of the HTTP server's 8 s grace: a drain that waits for keep-alive clients to go idle
      // (they never do under load) would only end when the grace cut them off.
      expect(exit!.at - termAt, 'the HTTP drain waited out its grace').toBeLessThan(4_000);
      // Released, not timed out: the standby leads within moments of the release, well inside a lease period.
      expect(took.at - released!.at).toBeLessThan(LEASE_MS / 2);
      expect(handoverMs).toBeLessThan(LEASE_MS);
      targets.find((t) => t.name === leader.name)!.active = false;

      const inFlight = await slow;
      expect(inFlight.status, inFlight.body).toBe(201);
      // The lease went first, the HTTP drain after: the request in flight was answered after the handover.
      expect(released!.at).toBeLessThan(inFlight.at);
      acked.add((JSON.parse(inFlight.body) as { id: string }).id);
      // The survivor keeps dispatching.
      const after = load.acked.size;
      await until('submissions after the SIGTERM to start on the cluster', () => [...load.acked.values()].slice(after).some((s) => grid.jobsCreated.has(s.jobId)), 20_000);
    } finally {
      await load.stop();
      await slow?.catch(() => undefined);
    }
    // Calls the stopping replica had before the signal all got their answer; later ones were answered or
    // refused at the connection (and retried on the survivor), never answered with an error.
    const toStopping = load.calls.filter((c) => c.target === leader.name);
    expect(toStopping.filter((c) => c.at < termAt && (c.status < 200 || c.status >= 300))).toEqual([]);
    expect(toStopping.filter((c) => c.status >= 300)).toEqual([]);
    expect(load.failures(standby.name)).toEqual([]);
    for (const s of load.acked.values()) acked.add(s.jobId);
    const ids = [...acked];
    const states = await waitAllFinal(grid.database, ids, 60_000);
    expect([...states.values()].every((s) => s === 'succeeded')).toBe(true);
    expect(ids.filter((id) => (grid.jobsCreated.get(id) ?? 0) !== 1)).toEqual([]);
  });
});
