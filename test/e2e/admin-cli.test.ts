/**
 * The admin commands as people run them (`node bin/ncg.js …` in a child process) against an embedded
 * server with the national grid seed: a national admin awards, an institution admin splits and files a
 * change request, the national admin approves it; an institution admin manages a project's members; an
 * operator's drain and resume; the audit log shows every step. Refusals exit 1 with the server's message,
 * bad flags exit 2.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';
import { nationalGridSeed } from '../../src/seed/national-grid.js';
import { createApiToken } from '../../src/store/index.js';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'ncg-e2e-admin-'));
const SLOW = 240_000;
let ncg: RunningNcg;
let url = '';
let instAdminToken = '';

// bin/ncg.js runs dist/ when it is newer than src/, else the same entry from source through tsx.
const entry = (() => {
  const built = join(root, 'dist', 'cli', 'main.js');
  const stale = existsSync(built) && statSync(built).mtimeMs < statSync(join(root, 'src', 'cli', 'commands', 'allocations.ts')).mtimeMs;
  return stale ? ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')] : [join(root, 'bin', 'ncg.js')];
})();

/** Run `ncg …`; without `token` the CLI uses the admin token the first start wrote to the data directory. */
function ncgCli(args: string[], token = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...entry, ...args], { cwd: root, env: { ...process.env, NCG_URL: url, NCG_DATA_DIR: dataDir, NCG_TOKEN: token }, timeout: SLOW }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const seed = nationalGridSeed();
const institution = seed.institutions[0]!;
const projects = seed.projects.filter((p) => p.institutionId === institution.id);
const researcher = seed.users.find((u) => u.institutionId === institution.id && u.roles.includes('researcher'))!;
const cluster = seed.clusters[0]!;
const award = `alloc-${institution.id}-2030-q1`;

beforeAll(async () => {
  const overrides = { dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.host': '127.0.0.1', 'grpc.port': '0', 'log.level': 'silent' };
  ncg = await startNcg(loadConfig({ overrides, env: {} }), createLogger('silent'));
  url = `http://127.0.0.1:${ncg.http.port}`;
  const db = ncg.database.db;
  await db.insertInto('users').values({ id: 'e2e-iadmin', institution_id: institution.id, name: 'Inst Admin', email: 'iadmin@e2e.pk' }).execute();
  await db.insertInto('user_roles').values({ user_id: 'e2e-iadmin', role: 'institution-admin' }).execute();
  instAdminToken = (await createApiToken(db, { userId: 'e2e-iadmin', name: 'e2e' })).secret;
}, 180_000);

afterAll(async () => {
  await ncg?.close();
});

describe('ncg allocation …', () => {
  it('award → split (and a refused over-split) → request → approve, and the timeline', async () => {
    const awarded = await ncgCli(['allocation', 'award', '--institution', institution.id, '--period', '2030-Q1', '--gpu-hours', '1000', '--soft', '10']);
    expect(awarded.stderr).toBe('');
    expect(awarded.stdout).toContain(`awarded ${award}: 1000 GPU-hours to ${institution.id} for 2030-01-01 → 2030-04-01`);

    const split = await ncgCli(['allocation', 'split', award, '--project', projects[0]!.id, '--gpu-hours', '700'], instAdminToken);
    expect(split.code).toBe(0);
    expect(split.stdout).toContain('700 of 1000 allocated, 300 left');
    const over = await ncgCli(['allocation', 'split', award, '--project', projects[1]?.id ?? projects[0]!.id, '--gpu-hours', '400'], instAdminToken);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/ncg: award \S+ is 1000 GPU-hours; 700 are already allocated to other projects; 400 requested/);

    const filed = await ncgCli(['allocation', 'request', '--allocation', award, '--gpu-hours', '250', '--extend-to', '2030-04-30', '--justification', 'scaling study'], instAdminToken);
    expect(filed.code).toBe(0);
    const requestId = /request (areq-\S+)/.exec(filed.stdout)?.[1];
    expect(requestId).toBeDefined();

    const pending = await ncgCli(['allocation', 'requests', '--status', 'pending']);
    expect(pending.stdout).toContain(requestId);
    const approved = await ncgCli(['allocation', 'approve', requestId!, '--comment', 'granted']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`${requestId} approved; ${award} now has 1250 GPU-hours for 2030-01-01 → 2030-04-30`);

    const listed = await ncgCli(['allocations', '--period', '2030-Q1'], instAdminToken);
    expect(listed.stdout).toMatch(new RegExp(`${award}\\s+${institution.id}\\s+\\(award\\)\\s+2030-01-01 → 2030-04-30\\s+1250\\s+soft \\+10%`));
    const shown = await ncgCli(['allocation', 'show', award], instAdminToken);
    expect(shown.stdout).toMatch(/awarded 1000 GPU-hours for 2030-Q1/);
    expect(shown.stdout).toMatch(/requested \+250 GPU-hours and extension to 2030-04-30: scaling study/);
    expect(shown.stdout).toMatch(/approved areq-\S+: granted \(GPU-hours 1000 → 1250\)/);
  }, SLOW);

  it('refuses what a caller may not do, and bad flags', async () => {
    const asInstitutionAdmin = await ncgCli(['allocation', 'award', '--institution', institution.id, '--period', '2031', '--gpu-hours', '1'], instAdminToken);
    expect(asInstitutionAdmin.code).toBe(1);
    expect(asInstitutionAdmin.stderr).toMatch(/needs the national-admin role/);
    const badHours = await ncgCli(['allocation', 'split', award, '--project', projects[0]!.id, '--gpu-hours', 'lots']);
    expect(badHours.code).toBe(2);
    expect(badHours.stderr).toContain('--gpu-hours must be a number');
    const noComment = await ncgCli(['allocation', 'reject', 'areq-x']);
    expect(noComment.code).toBe(2);
  }, SLOW);
});

describe('ncg project, ncg cluster, ncg audit', () => {
  it('an institution admin creates a project and manages its members; an admin drains and resumes a cluster; the audit log has it all', async () => {
    const created = await ncgCli(['project', 'create', '--name', 'E2E Speech'], instAdminToken);
    expect(created.stdout).toContain(`created project ${institution.id}-e2e-speech`);
    const added = await ncgCli(['project', 'add-member', `${institution.id}-e2e-speech`, '--user', researcher.id], instAdminToken);
    expect(added.stdout).toContain(`added ${researcher.id}: ${institution.id}-e2e-speech members are ${researcher.id}`);
    const removed = await ncgCli(['project', 'remove-member', `${institution.id}-e2e-speech`, '--user', researcher.id], instAdminToken);
    expect(removed.stdout).toContain('members are (none)');

    const drained = await ncgCli(['cluster', 'drain', cluster.id]);
    expect(drained.stdout).toContain(`${cluster.id}: active → draining`);
    expect((await ncgCli(['cluster', 'resume', cluster.id])).stdout).toContain(`${cluster.id}: draining → active`);

    const audit = await ncgCli(['audit', '--limit', '100', '-o', 'json']);
    const actions = (JSON.parse(audit.stdout) as { items: { action: string }[] }).items.map((e) => e.action);
    for (const a of ['allocation.award', 'allocation.split', 'allocation.request', 'allocation.approve', 'project.create', 'project.member.add', 'project.member.remove', 'cluster.drain', 'cluster.resume']) expect(actions).toContain(a);
    const table = await ncgCli(['audit', '--action', 'cluster']);
    expect(table.stdout).toMatch(/AT\s+ACTOR\s+FROM\s+ACTION\s+TARGET\s+BEFORE\s+AFTER/);
    expect(table.stdout).toMatch(/cluster\.resume\s+cluster \S+\s+\{"state":"draining"\}\s+\{"state":"active"\}/);
  }, SLOW);
});
