/**
 * A PostgreSQL cluster of one test's own — initdb + pg_ctl in a temporary directory, on a free port, trust
 * auth — so the test can stop and restart it under a running ncg without touching the shared server at
 * 5432 that other test files use at the same time. Removed (stopped, directory deleted) by `destroy()`.
 *
 * PostgreSQL refuses to run as root; as root (containers, CI) every command runs as the `postgres` user
 * through runuser, and the directory is handed to that user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../prometheus.js';

const run = promisify(execFile);

/** The newest installed PostgreSQL server binaries (`/usr/lib/postgresql/<v>/bin`), or undefined. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'pg_ctl')));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(base, newest, 'bin') : undefined;
}

/** uid/gid of the `postgres` user from /etc/passwd (needed only when running as root). */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A private PostgreSQL cluster. */
export class PrivatePostgres {
  readonly port: number;
  private readonly data: string;
  private readonly asRoot = process.getuid?.() === 0;
  private unhook: () => void = () => undefined;

  private constructor(private readonly bin: string, readonly dir: string, port: number) {
    this.port = port;
    this.data = join(dir, 'data');
  }

  /** initdb a fresh cluster in a temp directory and start it on a free port. */
  static async create(): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin');
    const dir = mkdtempSync(join(tmpdir(), 'ncg-pg-'));
    const pg = new PrivatePostgres(bin, dir, await freePort());
    // If the test process ends without destroy() (a crash, a timeout), the server must not outlive it.
    const onExit = () => pg.destroySync();
    process.once('exit', onExit);
    pg.unhook = () => process.off('exit', onExit);
    try {
      if (pg.asRoot) {
        const { uid, gid } = postgresUser();
        chownSync(dir, uid, gid);
      }
      await pg.cmd('initdb', ['-D', pg.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
      await pg.start();
    } catch (e) {
      await pg.destroy();
      throw e;
    }
    return pg;
  }

  /** URL of database `name` on this cluster. */
  url(name = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  /**
   * Start and wait until it accepts connections. fsync is off (no OS crash is simulated), but commits stay
   * synchronous: "no acknowledged submission lost" must not depend on the shutdown flushing the WAL.
   */
  async start(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await this.cmd('pg_ctl', ['-D', this.data, '-o', opts, '-l', join(this.dir, 'postgres.log'), '-w', '-t', '60', 'start']);
  }

  /** Stop (fast: disconnect every session, as a restart does) and wait until it is down. */
  async stop(): Promise<void> {
    await this.cmd('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Stop if running and delete the directory. Never throws (afterAll). */
  async destroy(): Promise<void> {
    this.unhook();
    if (existsSync(join(this.data, 'postmaster.pid'))) await this.cmd('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** destroy() for a process that is exiting (no event loop left). */
  private destroySync(): void {
    try {
      if (existsSync(join(this.data, 'postmaster.pid'))) execFileSync(...this.argv('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // best effort: the process is going away
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Its server log (for failure messages). */
  log(): string {
    try {
      return readFileSync(join(this.dir, 'postgres.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** File and arguments that run `tool` of this installation (as postgres when we are root). */
  private argv(tool: string, args: string[]): [string, string[]] {
    const path = join(this.bin, tool);
    return this.asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  }

  private async cmd(tool: string, args: string[]): Promise<void> {
    const [file, argv] = this.argv(tool, args);
    try {
      await run(file, argv, { timeout: 90_000, cwd: this.dir });
    } catch (e) {
      const err = e as Error & { stderr?: string; stdout?: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${err.message}\n${err.stderr ?? ''}${err.stdout ?? ''}`);
    }
  }
}
