/**
 * The embedded demo's people, end to end: a first start writes a token for a user of each role under
 * `<dataDir>/tokens/` (mode 0600), each token sees its own view (and is refused another role's with a
 * message naming the role), and `ncg token create|list|revoke` manage tokens with one of them — the
 * revoked token stops working at once.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'ncg-e2e-roles-'));
const config = loadConfig({ overrides: { dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.host': '127.0.0.1', 'grpc.port': '0', 'log.level': 'silent' } });
const SLOW = 240_000;
let ncg: RunningNcg;
let url: string;
const tokens: Record<string, string> = {};

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) t = Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs);
  return t;
}

// bin/ncg.js runs dist/ when it exists and is fresh; otherwise the CLI runs from source through tsx.
const entry = (() => {
  const built = join(root, 'dist', 'cli', 'main.js');
  const fresh = !existsSync(built) || statSync(built).mtimeMs >= newest(join(root, 'src'));
  return fresh ? [join(root, 'bin', 'ncg.js')] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
})();

function ncgCli(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...entry, ...args], { cwd: root, env: { ...process.env, NCG_URL: url, NCG_TOKEN: token, NCG_DATA_DIR: dataDir }, timeout: SLOW }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function get(path: string, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  ncg = await startNcg(config, createLogger('silent'));
  url = `http://127.0.0.1:${ncg.http.port}`;
  for (const role of ['researcher', 'institution-admin', 'coe-operator', 'national-admin']) tokens[role] = readFileSync(join(dataDir, 'tokens', `${role}.token`), 'utf8').trim();
}, SLOW);
afterAll(async () => ncg?.close());

describe('demo users of each role', () => {
  it('are written once, privately, and reported for printing', () => {
    expect(statSync(join(dataDir, 'tokens')).mode & 0o777).toBe(0o700);
    for (const role of Object.keys(tokens)) expect(statSync(join(dataDir, 'tokens', `${role}.token`)).mode & 0o777, role).toBe(0o600);
    expect(tokens['national-admin']).toBe(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim());
    expect(ncg.firstStart.roleTokens?.map((t) => [t.role, t.secret])).toEqual([
      ['researcher', tokens.researcher],
      ['institution-admin', tokens['institution-admin']],
      ['coe-operator', tokens['coe-operator']],
    ]);
    const [researcher, admin] = ncg.firstStart.roleTokens!;
    expect(admin!.institutionId).toBe(researcher!.institutionId);
  });

  it('each sees its own view and is refused the others’ with the role it needs', async () => {
    for (const [role, token] of Object.entries(tokens)) expect((await get('/v1/dashboard/me', token)).body.roles, role).toContain(role);
    const researcher = await get('/v1/metering/discrepancies', tokens.researcher!);
    expect(researcher.status).toBe(403);
    expect(researcher.body.error.message).toMatch(/needs one of the roles coe-operator or national-admin/);
    expect((await get('/v1/metering/discrepancies', tokens['coe-operator']!)).status).toBe(200);
    expect((await get('/v1/usage', tokens['coe-operator']!)).status).toBe(403);
    const me = (await get('/v1/dashboard/me', tokens['institution-admin']!)).body;
    const other = (await get('/v1/institutions?limit=5', tokens['institution-admin']!)).body.items.find((i: { id: string }) => i.id !== me.institutionId).id;
    expect((await get(`/v1/dashboard/institutions/${other}`, tokens['institution-admin']!)).status).toBe(404);
    expect((await get(`/v1/dashboard/institutions/${me.institutionId}`, tokens['institution-admin']!)).status).toBe(200);
  });
});

describe('ncg token', () => {
  it('creates (secret shown once), lists without secrets, and revokes at once', async () => {
    const created = await ncgCli(['token', 'create', '--name', 'laptop', '--expires', '90d'], tokens.researcher!);
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim().split('\n').pop()!;
    expect(secret).toMatch(/^ncg_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toMatch(/the secret is shown only now/);
    expect((await get('/v1/dashboard/me', secret)).status).toBe(200);

    const listed = await ncgCli(['token', 'list', '-o', 'json'], tokens.researcher!);
    expect(listed.code, listed.stderr).toBe(0);
    const mine = (JSON.parse(listed.stdout) as { items: { id: string; name: string }[] }).items.find((t) => t.name === 'laptop')!;
    expect(listed.stdout).not.toContain(secret);

    const table = await ncgCli(['token', 'list'], tokens.researcher!);
    expect(table.stdout).toMatch(new RegExp(`${mine.id}\\s+\\S+\\s+laptop\\s+ncg_\\S+…\\s+active`));

    const revoked = await ncgCli(['token', 'revoke', mine.id], tokens.researcher!);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`token ${mine.id} \\(laptop, .*\\) is revoked since`));
    expect((await get('/v1/dashboard/me', secret)).status).toBe(401);
  }, SLOW);

  it('lets an institution admin create a token for their researcher, and says why not otherwise', async () => {
    const researcher = ncg.firstStart.roleTokens!.find((t) => t.role === 'researcher')!;
    const ok = await ncgCli(['token', 'create', '--user', researcher.userId, '--name', 'for a student', '-o', 'json'], tokens['institution-admin']!);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ user: researcher.userId, name: 'for a student', secret: expect.stringMatching(/^ncg_/) });
    const refused = await ncgCli(['token', 'create', '--user', 'national-admin', '--name', 'x'], tokens.researcher!);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/user "national-admin" does not exist|may manage/);
  }, SLOW);
});
