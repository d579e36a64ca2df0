/**
 * Demo tokens for each role, so a newcomer can try every view of the embedded grid: on the first start,
 * one researcher (a member of a project), that researcher's institution admin and a CoE operator each get
 * an API token written to `<dataDir>/tokens/<role>.token` (mode 0600, directory 0700) — next to the
 * national admin's `admin-token`, which is also copied there as `national-admin.token`.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../domain/types.js';
import { createApiToken, listUsers } from '../store/index.js';
import { researcherMemberships } from '../store/repositories/demo-people.js';
import type { Db } from '../store/rows.js';

/** The directory (under the data directory) that holds the role tokens. */
export const ROLE_TOKEN_DIR = 'tokens';

/** One written role token. */
export interface RoleToken {
  role: Role;
  userId: string;
  institutionId: string;
  path: string;
  secret: string;
}

/** Write `secret` to `<dataDir>/tokens/<role>.token`, private to the owner. */
export function writeTokenFile(dataDir: string, role: Role, secret: string): string {
  const dir = join(dataDir, ROLE_TOKEN_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${role}.token`);
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync keeps an existing file's mode
  return path;
}

async function demoUsers(db: Db): Promise<{ role: Role; userId: string; institutionId: string }[]> {
  const out: { role: Role; userId: string; institutionId: string }[] = [];
  const [member] = await researcherMemberships(db);
  if (member) {
    out.push({ role: 'researcher', userId: member.userId, institutionId: member.institutionId });
    const [admin] = await listUsers(db, { institutionId: member.institutionId, role: 'institution-admin' });
    if (admin) out.push({ role: 'institution-admin', userId: admin.id, institutionId: admin.institutionId });
  }
  const [operator] = (await listUsers(db, { role: 'coe-operator' })).filter((u) => (u.operatorSiteIds ?? []).length > 0);
  if (operator) out.push({ role: 'coe-operator', userId: operator.id, institutionId: operator.institutionId });
  return out;
}

/** Mint and write a token for a researcher, an institution admin and a CoE operator of the seed (those that exist). */
export async function writeRoleTokens(db: Db, dataDir: string, nowMs: number): Promise<RoleToken[]> {
  const written: RoleToken[] = [];
  for (const u of await demoUsers(db)) {
    const token = await createApiToken(db, { userId: u.userId, name: `embedded demo ${u.role}` }, nowMs);
    written.push({ ...u, secret: token.secret, path: writeTokenFile(dataDir, u.role, token.secret) });
  }
  return written;
}
