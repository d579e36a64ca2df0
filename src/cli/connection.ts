/**
 * Where the user commands connect, and with which token: `--url`, else NCG_URL, else the local default;
 * NCG_TOKEN, else — only for a server on this machine — the national-admin token a first start wrote to
 * the data directory (`$NCG_DATA_DIR/admin-token`, or `./.ncg/admin-token`). A token file is never sent
 * to a remote server: it belongs to the local one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT, NcgClient } from './client.js';

/** The REST address when neither --url nor NCG_URL is given. */
export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Data directory when NCG_DATA_DIR is unset (the server's default too). */
const DEFAULT_DATA_DIR = './.ncg';

/**
 * The token file a first start writes (bootstrap/first-start.ts ADMIN_TOKEN_FILE; a unit test keeps the
 * two equal). Not imported from there: that module loads the whole store, and a user command needs none of it.
 */
export const ADMIN_TOKEN_FILE = 'admin-token';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0']);

/** Environment variables the user commands read. */
export type CliEnv = Partial<Record<'NCG_URL' | 'NCG_TOKEN' | 'NCG_DATA_DIR', string>>;

/** The base URL, checked to be http(s). */
export function resolveUrl(flag: string | undefined, env: CliEnv): string {
  const raw = flag ?? env.NCG_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`${flag ? '--url' : 'NCG_URL'} ${JSON.stringify(raw)} is not a URL; expected e.g. ${DEFAULT_URL}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`${flag ? '--url' : 'NCG_URL'} must be an http:// or https:// URL, got ${JSON.stringify(raw)}`, EXIT.usage);
  return raw.replace(/\/+$/, '');
}

/** True when the URL points at this machine. */
export function isLocal(url: string): boolean {
  return LOCAL_HOSTS.has(new URL(url).hostname);
}

/** The token: NCG_TOKEN, else the local admin-token file, else a CliError saying what to set. */
export function resolveToken(url: string, env: CliEnv): string {
  const fromEnv = env.NCG_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = join(resolve(env.NCG_DATA_DIR ?? DEFAULT_DATA_DIR), ADMIN_TOKEN_FILE);
  if (isLocal(url) && existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret) return secret;
  }
  const where = isLocal(url) ? ` (and there is no ${file} from a local first start)` : '';
  throw new CliError(`no API token: set NCG_TOKEN to your ncg API token${where}`, EXIT.usage);
}

/** A client for the --url flag and the environment. */
export function connect(urlFlag: string | undefined, env: CliEnv = process.env): NcgClient {
  const url = resolveUrl(urlFlag, env);
  return new NcgClient(url, resolveToken(url, env));
}
