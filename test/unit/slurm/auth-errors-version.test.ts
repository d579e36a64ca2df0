/** JWT minting and refresh, slurmrestd error classification, backoff, version choice, config schema. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { chooseVersion, offeredVersions } from '../../../src/adapters/slurm/api-version.js';
import { SlurmCredentials, mintSlurmJwt, parseTokenText, tokenExpiry } from '../../../src/adapters/slurm/auth.js';
import { slurmClusterConfigSchema } from '../../../src/adapters/slurm/config.js';
import { Backoff, isAuthFailure, isPermanentRefusal, readSlurmErrors } from '../../../src/adapters/slurm/errors.js';

describe('JWT', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');

  it('mints an HS256 token slurmctld accepts: {exp, iat, sun} signed with the raw key', async () => {
    const token = mintSlurmJwt(key, 'ncg-alice', 1_700_000_000, 600);
    const { payload, protectedHeader } = await jwtVerify(token, key, { currentDate: new Date(1_700_000_100_000) });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ exp: 1_700_000_600, iat: 1_700_000_000, sun: 'ncg-alice' });
    expect(tokenExpiry(token)).toBe(1_700_000_600);
    expect(tokenExpiry('not-a-jwt')).toBeUndefined();
  });

  it('reads what scontrol token prints', () => {
    expect(parseTokenText('SLURM_JWT=abc.def.ghi\n')).toBe('abc.def.ghi');
    expect(parseTokenText('  abc.def.ghi ')).toBe('abc.def.ghi');
  });

  it('mints per user and renews after four fifths of the lifespan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncg-jwt-'));
    writeFileSync(join(dir, 'key'), key);
    let now = 1_700_000_000_000;
    const creds = new SlurmCredentials({ jwtKeyFile: join(dir, 'key'), user: 'root', lifespanSeconds: 100 }, () => now);
    const first = await creds.headers('ncg-bob');
    expect(first['X-SLURM-USER-NAME']).toBe('ncg-bob');
    now += 79_000;
    expect((await creds.headers('ncg-bob'))['X-SLURM-USER-TOKEN']).toBe(first['X-SLURM-USER-TOKEN']);
    now += 2_000;
    const renewed = (await creds.headers('ncg-bob'))['X-SLURM-USER-TOKEN'];
    expect(renewed).not.toBe(first['X-SLURM-USER-TOKEN']);
    expect(tokenExpiry(renewed)).toBe(Math.floor(now / 1000) + 100);
    expect(creds.operator).toBe('root');
  });

  it('re-reads a token file and names an expired token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncg-jwt-'));
    const file = join(dir, 'token');
    writeFileSync(file, `SLURM_JWT=${mintSlurmJwt(key, 'root', 1000, 60)}`);
    const creds = new SlurmCredentials({ tokenFile: file, user: 'root' }, () => 2_000_000);
    expect(await creds.problem()).toMatch(/token in .*token expired at 1970-01-01T00:17:40.000Z/);
    writeFileSync(file, mintSlurmJwt(key, 'root', 1990, 600));
    creds.invalidate();
    expect(await creds.problem()).toBeUndefined();
    expect((await creds.headers('ncg-alice'))['X-SLURM-USER-NAME']).toBe('ncg-alice');
  });
});

describe('errors', () => {
  it('reads both errno spellings', () => {
    expect(readSlurmErrors({ errors: [{ error_code: 2014, error: 'Requested node configuration is not available' }, { error_number: 2017, error: 'Invalid job id specified' }, { errno: -1, error: 'Unspecified error' }] })).toEqual([
      { code: 2014, message: 'Requested node configuration is not available' },
      { code: 2017, message: 'Invalid job id specified' },
      { code: -1, message: 'Unspecified error' },
    ]);
    expect(readSlurmErrors(null)).toEqual([]);
  });

  it('tells permanent refusals from passing trouble', () => {
    expect(isPermanentRefusal(500, [{ code: 2000, message: 'Invalid partition name specified' }])).toBe(true);
    expect(isPermanentRefusal(500, [{ code: 2014, message: 'Requested node configuration is not available' }])).toBe(true);
    expect(isPermanentRefusal(400, [{ code: 9001, message: 'Failure during parsing' }])).toBe(true);
    expect(isPermanentRefusal(500, [{ code: 2027, message: 'Slurm is in standby mode' }])).toBe(false);
    expect(isPermanentRefusal(500, [{ code: 5005, message: 'Zero Bytes were transmitted or received' }])).toBe(false);
    expect(isPermanentRefusal(503, [])).toBe(false);
    expect(isAuthFailure(401, [])).toBe(true);
    expect(isAuthFailure(500, [{ code: 5005, message: '' }])).toBe(true);
    expect(isAuthFailure(500, [{ code: 2014, message: '' }])).toBe(false);
  });

  it('backs off exponentially up to a cap and resets on success', () => {
    const b = new Backoff(1000, 5000);
    expect([b.fail(), b.fail(), b.fail(), b.fail()]).toEqual([1000, 2000, 4000, 5000]);
    b.succeed();
    expect(b.fail()).toBe(1000);
  });
});

describe('version layer', () => {
  const doc = (...versions: string[]) => ({ paths: Object.fromEntries(versions.flatMap((v) => [[`/slurm/v${v}/ping`, {}], [`/slurmdb/v${v}/jobs`, {}]])) });

  it('lists the slurm plugin versions a server offers', () => {
    expect(offeredVersions(doc('0.0.38', '0.0.36', '0.0.37'))).toEqual(['0.0.36', '0.0.37', '0.0.38']);
    expect(offeredVersions({})).toEqual([]);
  });

  it('auto picks the newest supported; unknown versions are refused clearly', () => {
    expect(chooseVersion('auto', ['0.0.37', '0.0.38'])).toMatchObject({ ok: true, mapping: { version: '0.0.38' } });
    const none = chooseVersion('auto', ['0.0.40', '0.0.41']);
    expect(none).toEqual({ ok: false, message: 'slurmrestd offers v0.0.40, v0.0.41; ncg supports v0.0.38 — unsupported Slurm REST API version' });
    expect(chooseVersion('0.0.38', ['0.0.37'])).toMatchObject({ ok: false, message: expect.stringMatching(/-s openapi\/v0\.0\.38/) });
  });
});

describe('slurmClusterConfigSchema', () => {
  const minimal = { url: 'http://slurm:6820', auth: { jwtKeyFile: '/etc/slurm/jwt_hs256.key' }, workdirRoot: '/scratch/ncg' };

  it('fills defaults', () => {
    expect(slurmClusterConfigSchema.parse(minimal)).toMatchObject({
      apiVersion: 'auto', auth: { user: 'slurm', lifespanSeconds: 3600 }, containerRuntime: 'none', pinNodes: true, pollIntervalSeconds: 10,
      requestTimeoutSeconds: 10, accounts: { institutions: {}, users: {} }, environment: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    });
  });

  it('rejects unknown keys, unsupported versions and relative paths', () => {
    expect(slurmClusterConfigSchema.safeParse({ ...minimal, colour: 'red' }).success).toBe(false);
    expect(slurmClusterConfigSchema.safeParse({ ...minimal, apiVersion: '0.0.40' }).success).toBe(false);
    expect(slurmClusterConfigSchema.safeParse({ ...minimal, workdirRoot: 'scratch' }).success).toBe(false);
    expect(slurmClusterConfigSchema.safeParse({ ...minimal, auth: { token: 'x' } }).success).toBe(false);
  });
});
