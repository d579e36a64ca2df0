/**
 * Leader lease on PostgreSQL: a session-level advisory lock held on a dedicated connection (a `pg.Client`,
 * never a pooled connection — a pool would hand the session, and the lock with it, to someone else).
 *
 * - Leader: re-checks every half lease period that its session still holds the lock (pg_locks). If the
 *   connection errors or ends, or a check fails or takes longer than a period, leadership is dropped at once.
 * - A lease, not a lock held for ever: the session runs with `idle_session_timeout` = two periods, so
 *   PostgreSQL ends the session of a leader that stopped checking — a frozen process, a hung host, a
 *   network partition: cases where its socket stays open and the lock would otherwise be held until TCP
 *   keepalive gives up, hours later. The leader, for its part, counts itself leader only for 1.5 periods
 *   after the last check it sent succeeded: it stops acting (isLeader() false) half a period before the
 *   server can free the lock for a standby, even if it was frozen in between and nothing has told it yet.
 * - Standby: waits for the lock with `lock_timeout` = one lease period, then waits again. The wait returns
 *   the moment the holder's session ends or unlocks, so a release hands over at once and a dead leader is
 *   replaced as soon as PostgreSQL ends its session: at once for a killed process (closed socket), within
 *   two periods for a silent one.
 * - `release()` unlocks, closes the connection and stops trying.
 */
import pg from 'pg';
import { LeadershipState, type LeaderLease, type LeadershipListener } from './lease.js';

/** The advisory lock key of the control loop's leadership ("ncg1" in ASCII; below 2^31 so pg_locks shows it as objid). */
export const LEADER_LOCK_KEY = 0x6e636731;

/** How to build a PostgreSQL lease. */
export interface PgAdvisoryLeaseOptions {
  /** The database URL (DATABASE_URL); every replica of a grid uses the same database. */
  url: string;
  /** Lease period in ms: the leader's re-check interval and the standby's wait; default 5000. */
  leasePeriodMs?: number;
  /** Lock key; default LEADER_LOCK_KEY. */
  lockKey?: number;
  /** application_name of the dedicated session (lets operators and tests find it in pg_stat_activity). */
  applicationName?: string;
  /** Told about connection errors (they never throw out of the lease). */
  onError?: (err: Error) => void;
}

/** Session-level advisory-lock lease. */
export class PgAdvisoryLease implements LeaderLease {
  private readonly state = new LeadershipState();
  private readonly periodMs: number;
  private readonly key: number;
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  /** performance.now() until which leadership holds without a newer successful check. */
  private validUntil = 0;

  constructor(private readonly options: PgAdvisoryLeaseOptions) {
    this.periodMs = options.leasePeriodMs ?? 5_000;
    this.key = options.lockKey ?? LEADER_LOCK_KEY;
  }

  /** Begin the acquire loop; resolves after the first attempt (leader or standby). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.attempt(0);
  }

  /** Leader now? False once 1.5 periods passed without a successful check (then the session is dropped). */
  isLeader(): boolean {
    if (this.state.value && performance.now() > this.validUntil) {
      this.drop(this.client, new Error(`the leader lock was not confirmed for ${1.5 * this.periodMs} ms (process paused or database unreachable)`));
    }
    return this.state.value;
  }

  /** Subscribe to leadership changes. */
  onChange(listener: LeadershipListener): () => void {
    return this.state.subscribe(listener);
  }

  /** Unlock, close the session and stop trying. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    const wasLeader = this.state.value;
    this.state.set(false);
    if (!client) return;
    if (wasLeader) await client.query('select pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /** One step of the loop: standby → wait for the lock (up to a period); leader → verify the lock. */
  private async attempt(waitMs: number): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    const checkEvery = this.periodMs / 2;
    let next = checkEvery;
    try {
      const client = await this.connect();
      // Sent before the query: the server's idle clock starts no earlier than this, so validity counted
      // from here ends before the server can end the session.
      const sentAt = performance.now();
      if (!this.state.value) {
        const locked = await this.tryLock(client, waitMs);
        // A release() during the wait closed the session: the lock is gone with it, so do not claim it.
        if (locked && !this.stopped && this.client === client) {
          this.validUntil = performance.now() + 1.5 * this.periodMs;
          this.state.set(true);
        }
        next = this.state.value ? checkEvery : 0; // a standby waits again at once: the wait itself was the period
      } else if (await this.holdsLock(client)) {
        this.validUntil = sentAt + 1.5 * this.periodMs;
      } else {
        this.drop(client, new Error('the leader lock is no longer held by this session'));
      }
    } catch (err) {
      this.drop(this.client, err as Error);
    } finally {
      this.running = false;
    }
    this.schedule(next);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(this.periodMs), delayMs);
    this.timer.unref();
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName ?? 'ncg-leader-lease',
      keepAlive: true,
      connectionTimeoutMillis: this.periodMs,
    });
    // Any error or end of the session ends leadership at once: the lock went with the session.
    client.on('error', (err) => this.drop(client, err));
    client.on('end', () => this.drop(client, new Error('leader lease connection ended')));
    this.client = client;
    await client.connect();
    // PostgreSQL 14+: the server ends this session after two periods without a query (see the header). An
    // older server does not know the setting (42704); there a silent leader is found only by TCP keepalive.
    await client.query(`set idle_session_timeout = ${Math.ceil(2 * this.periodMs)}`).catch((err: { code?: string }) => {
      if (err.code !== '42704') throw err;
    });
    return client;
  }

  /** Wait up to `waitMs` for the lock (0: just try). */
  private async tryLock(client: pg.Client, waitMs: number): Promise<boolean> {
    if (waitMs <= 0) {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [this.key]);
      return r.rows[0]?.ok === true;
    }
    await client.query(`set lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
    try {
      await client.query('select pg_advisory_lock($1)', [this.key]);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false; // lock_not_available: still held by the leader
      throw err;
    }
  }

  /** Does this session still hold the lock? Bounded by one period so a hung server cannot keep us leader. */
  private async holdsLock(client: pg.Client): Promise<boolean> {
    const check = client.query<{ n: number }>(
      `select count(*)::int as n from pg_locks
        where locktype = 'advisory' and pid = pg_backend_pid() and classid = 0 and objid = $1::bigint::oid and objsubid = 1 and granted`,
      [this.key],
    );
    let timeout: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(`leader lock check took longer than ${this.periodMs} ms`)), this.periodMs);
    });
    try {
      return (await Promise.race([check, late])).rows[0]?.n === 1;
    } finally {
      clearTimeout(timeout);
    }
  }

  /** Forget a broken session and stop being leader. */
  private drop(client: pg.Client | undefined, err: Error): void {
    if (!client || client !== this.client) return;
    this.client = undefined;
    this.state.set(false);
    if (!this.stopped) this.options.onError?.(err);
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
  }
}
