/**
 * A real `ncg serve` in a child process, as an operator (or a Kubernetes pod) runs it: `bin/ncg.js`
 * (dist when it is fresh, the TypeScript sources through tsx otherwise), configured through NCG_*
 * variables, ports 0, logging JSON lines on stdout. The HA tests kill and signal these processes, so the
 * helper keeps each one's log lines (with pino's timestamps: leadership changes are dated by the process
 * itself, not by when the test polled), its exit, and reads its `/metrics` and `/readyz`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(import.meta.dirname, '..', '..', '..');

/** One JSON log line of the child (pino), with `at` = its `time` in epoch ms. */
export interface LogLine {
  msg?: string;
  level?: number;
  at: number;
  [key: string]: unknown;
}

/** How a child ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the test process saw it end. */
  at: number;
}

/** Server configuration keys of the test runner's environment are dropped: the child's config is only what a test passes. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NCG_') && k !== 'DATABASE_URL') env[k] = v;
  return env;
}

/** Every child spawned by this test process and not yet ended. */
const living = new Set<ChildProcess>();
// Whatever happens to the test (a timeout, a crash of the worker), no ncg outlives it.
process.once('exit', () => {
  for (const c of living) c.kill('SIGKILL');
});

/** A running (or ended) `ncg serve` child. */
export class NcgProcess {
  readonly logs: LogLine[] = [];
  /** Lines that were not JSON (the first-start banner, stack traces of a crash). */
  readonly text: string[] = [];
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private port = 0;

  private constructor(readonly name: string, private readonly child: ChildProcess) {
    living.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        living.delete(child);
        this.exit = { code, signal, at: Date.now() };
        resolve(this.exit);
      });
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.take(line));
    }
  }

  /**
   * Spawn `ncg serve` with `env` (NCG_* keys, DATABASE_URL, NCG_CONFIG) on 127.0.0.1, ports 0, and wait
   * until it listens. A child that exits first, or is not listening within `timeoutMs`, fails with its log.
   */
  static async start(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<NcgProcess> {
    const child = spawn(process.execPath, [join(root, 'bin', 'ncg.js'), 'serve'], {
      cwd: root,
      env: {
        ...baseEnv(),
        NCG_HTTP_HOST: '127.0.0.1',
        NCG_HTTP_PORT: '0',
        NCG_GRPC_HOST: '127.0.0.1',
        NCG_GRPC_PORT: '0',
        NCG_LOG_LEVEL: 'info',
        NCG_DEMO_LOAD: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new NcgProcess(name, child);
    try {
      const listening = await proc.waitForLog((l) => typeof l.url === 'string' && /^ncg listening on/.test(l.msg ?? ''), timeoutMs);
      proc.port = Number(new URL(listening.url as string).port);
    } catch (e) {
      proc.kill('SIGKILL');
      throw e;
    }
    return proc;
  }

  /** The child's PID. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Base URL of its REST API. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Still running? */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Send a signal (no-op once it has exited). Returns Date.now() at the moment it was sent. */
  kill(signal: NodeJS.Signals): number {
    const at = Date.now();
    if (this.alive) this.child.kill(signal);
    return at;
  }

  /** SIGKILL unless already ended, and wait for the end (afterAll: never leave a child behind). */
  async destroy(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGKILL every child this test process spawned that is still running — those whose start failed included. */
  static async destroyAll(): Promise<void> {
    const ends = [...living].map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(undefined) : c.once('exit', resolve))));
    for (const c of living) c.kill('SIGKILL');
    await Promise.all(ends);
  }

  /**
   * The first log line at or after `since` (epoch ms) that matches, waiting up to `timeoutMs`. Fails early
   * when the child exits without it.
   */
  async waitForLog(match: (l: LogLine) => boolean, timeoutMs: number, since = 0): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.logs.find((l) => l.at >= since && match(l));
      if (hit) return hit;
      if (!this.alive) throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before the awaited log line\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: awaited log line not seen within ${timeoutMs} ms\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** When this process last became (or stopped being) the control-loop leader, from its own log. */
  leadershipChanges(): { leader: boolean; at: number }[] {
    return this.logs.filter((l) => typeof l.leader === 'boolean' && /control-loop leader/.test(l.msg ?? '')).map((l) => ({ leader: l.leader as boolean, at: l.at }));
  }

  /** `ncg_leader` from its /metrics: true, false, or undefined when it does not answer. */
  async isLeader(): Promise<boolean | undefined> {
    try {
      const res = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
      const m = /^ncg_leader (\d)/m.exec(await res.text());
      return m ? m[1] === '1' : undefined;
    } catch {
      return undefined;
    }
  }

  /** HTTP status of /readyz (0 when there is no answer within 3 s). */
  async readyStatus(): Promise<number> {
    try {
      return (await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(3_000) })).status;
    } catch {
      return 0;
    }
  }

  /** The last `n` lines of its output, for failure messages. */
  tail(n = 40): string {
    const lines = [...this.logs.map((l) => JSON.stringify(l)), ...this.text];
    return `--- last lines of ${this.name} ---\n${lines.slice(-n).join('\n')}`;
  }

  private take(line: string): void {
    if (!line.startsWith('{')) {
      if (line.trim() !== '') this.text.push(line);
      return;
    }
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      this.logs.push({ ...parsed, at: typeof parsed.time === 'string' ? Date.parse(parsed.time) : Date.now() });
    } catch {
      this.text.push(line);
    }
  }
}
