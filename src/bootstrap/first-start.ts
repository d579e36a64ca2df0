/**
 * What happens the first time ncg starts on an empty database: seed the national grid, then mint a
 * national-admin API token, write it to `<dataDir>/admin-token` (mode 0600) and hand it back to be printed
 * once — and a token for a researcher, an institution admin and a CoE operator under `<dataDir>/tokens/`
 * (role-tokens.ts), so each view can be tried.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDomainError } from '../domain/errors.js';
import type { GridSeed } from '../seed/types.js';
import { createApiToken, isEmpty, listUsers, writeGridSeed, type SeedCounts } from '../store/index.js';
import type { Db } from '../store/rows.js';
import { writeRoleTokens, writeTokenFile, type RoleToken } from './role-tokens.js';

/** Name of the file that holds the national-admin token. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** What a first start did. */
export interface FirstStartResult {
  seeded?: SeedCounts;
  /** The new national-admin token (shown once), and where it was written. */
  adminToken?: { secret: string; path: string };
  /** Tokens of the other roles' demo users (shown once), and where each was written. */
  roleTokens?: RoleToken[];
}

/** Seed an empty database with `seed` and write a national-admin token; a no-op on a database already used. */
export async function firstStart(db: Db, seed: () => GridSeed, dataDir: string, nowMs: number): Promise<FirstStartResult> {
  if (!(await isEmpty(db))) return {};
  let seeded: SeedCounts;
  try {
    seeded = await writeGridSeed(db, seed(), nowMs);
  } catch (e) {
    // Two replicas started together on an empty database (a fresh Helm release): both saw it empty, the
    // seed's lock let one in, and the other finds it seeded. That one printed the tokens; this one just starts.
    if (isDomainError(e) && e.code === 'conflict' && e.details?.seededAt !== undefined) return {};
    throw e;
  }
  const adminToken = await writeAdminToken(db, dataDir, nowMs);
  if (adminToken) writeTokenFile(dataDir, 'national-admin', adminToken.secret);
  const roleTokens = await writeRoleTokens(db, dataDir, nowMs);
  return { seeded, ...(adminToken ? { adminToken } : {}), roleTokens };
}

/** Mint a token for the first national admin and write it to `<dataDir>/admin-token` with mode 0600. */
export async function writeAdminToken(db: Db, dataDir: string, nowMs: number): Promise<{ secret: string; path: string } | undefined> {
  const [admin] = await listUsers(db, { role: 'national-admin' });
  if (!admin) return undefined;
  const token = await createApiToken(db, { userId: admin.id, name: 'embedded national admin' }, nowMs);
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  writeFileSync(path, `${token.secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync keeps an existing file's mode; make sure it is private.
  return { secret: token.secret, path };
}

/** True when an admin token file exists in the data directory. */
export function adminTokenFileExists(dataDir: string): boolean {
  return existsSync(join(dataDir, ADMIN_TOKEN_FILE));
}
