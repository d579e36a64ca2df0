/**
 * JWT credentials for slurmrestd (rest_auth/jwt). Three sources: a static token, a token file that an
 * outside job rewrites (e.g. cron + `scontrol token`), or slurmctld's HS256 key, with which ncg mints
 * short-lived tokens itself. Every request names the Unix user it acts for (X-SLURM-USER-NAME); a token of
 * SlurmUser or root may act for anyone, a minted token is made out to that user directly.
 */
import { createHmac } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { SlurmClusterConfig } from './config.js';

/** The two headers slurmrestd's JWT authentication reads. */
export interface SlurmAuthHeaders {
  'X-SLURM-USER-NAME': string;
  'X-SLURM-USER-TOKEN': string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Mint an HS256 token as slurmctld's auth/jwt expects: `{exp, iat, sun}` signed with the raw key bytes. */
export function mintSlurmJwt(key: Buffer, user: string, nowSeconds: number, lifespanSeconds: number): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ exp: Math.floor(nowSeconds + lifespanSeconds), iat: Math.floor(nowSeconds), sun: user }));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The `exp` claim of a JWT (unix seconds), or undefined when the token is not a readable JWT. */
export function tokenExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/** Accepts what `scontrol token` prints (`SLURM_JWT=…`) as well as a bare token. */
export function parseTokenText(text: string): string {
  return text.trim().replace(/^SLURM_JWT=/, '').trim();
}

/** Gives the headers for a request acting as `user`; refreshes tokens before they expire. */
export class SlurmCredentials {
  private readonly minted = new Map<string, { token: string; exp: number }>();
  private key?: Buffer;
  private fileToken?: { token: string; mtimeMs: number; exp?: number };

  constructor(
    private readonly auth: SlurmClusterConfig['auth'],
    private readonly nowMs: () => number,
  ) {}

  /** The operator user that reads the cluster and cancels jobs. */
  get operator(): string {
    return this.auth.user;
  }

  /** Headers for a request made on behalf of `user`. */
  async headers(user: string): Promise<SlurmAuthHeaders> {
    return { 'X-SLURM-USER-NAME': user, 'X-SLURM-USER-TOKEN': await this.token(user) };
  }

  /** Why the current token cannot work, when that is known here (a token from config or file past its `exp`). */
  async problem(): Promise<string | undefined> {
    if ('jwtKeyFile' in this.auth) return undefined; // minted tokens are always fresh
    const token = await this.token(this.auth.user).catch(() => undefined);
    const exp = token ? tokenExpiry(token) : undefined;
    if (exp !== undefined && exp * 1000 <= this.nowMs()) {
      const where = 'tokenFile' in this.auth ? ` in ${this.auth.tokenFile}` : ' in the config';
      return `the token${where} expired at ${new Date(exp * 1000).toISOString()}`;
    }
    return undefined;
  }

  /** Forget cached tokens (after a 401 or an expired-token error) so the next request fetches fresh ones. */
  invalidate(): void {
    this.minted.clear();
    this.fileToken = undefined;
    this.key = undefined;
  }

  private async token(user: string): Promise<string> {
    const auth = this.auth;
    if ('token' in auth) return auth.token;
    if ('tokenFile' in auth) return this.readTokenFile(auth.tokenFile);
    return this.mint(user, auth.jwtKeyFile, auth.lifespanSeconds);
  }

  private async mint(user: string, keyFile: string, lifespanSeconds: number): Promise<string> {
    const now = this.nowMs() / 1000;
    const cached = this.minted.get(user);
    // Renew once four fifths of the lifespan are gone: a request in flight never carries a token that
    // expires on the way.
    if (cached && cached.exp - now > lifespanSeconds / 5) return cached.token;
    this.key ??= await readFile(keyFile);
    const token = mintSlurmJwt(this.key, user, now, lifespanSeconds);
    this.minted.set(user, { token, exp: now + lifespanSeconds });
    return token;
  }

  private async readTokenFile(path: string): Promise<string> {
    const { mtimeMs } = await stat(path);
    const cached = this.fileToken;
    const nearExpiry = cached?.exp !== undefined && cached.exp - this.nowMs() / 1000 < 60;
    if (cached && cached.mtimeMs === mtimeMs && !nearExpiry) return cached.token;
    const token = parseTokenText(await readFile(path, 'utf8'));
    this.fileToken = { token, mtimeMs, exp: tokenExpiry(token) };
    return token;
  }
}
