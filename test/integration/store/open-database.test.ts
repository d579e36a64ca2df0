/** openDatabase: URL validation, unreachable servers, and PGlite persistence in a data directory. */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { getMeta, migrateToLatest, openDatabase, pendingMigrations, redactUrl, setMeta } from '../../../src/store/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('refuses a URL that is not postgres://, naming DATABASE_URL', async () => {
    for (const url of ['mysql://x@y/z', 'not a url']) {
      const err = await openDatabase({ url }).catch((e: unknown) => e);
      expect([url, isDomainError(err) && err.code, isDomainError(err) && (err.details?.issues as { path: string }[])[0]?.path]).toEqual([url, 'invalid', 'DATABASE_URL']);
    }
  });

  it('reports an unreachable PostgreSQL as unavailable, without the password', async () => {
    const err = await openDatabase({ url: 'postgres://ncg:s3cret@127.0.0.1:1/ncg' }).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('unavailable');
    expect((err as Error).message).toMatch(/^cannot reach the database at postgres:\/\/ncg:\*\*\*@127\.0\.0\.1:1\/ncg: /);
    expect((err as Error).message).not.toContain('s3cret');
    expect(redactUrl(new URL('postgres://u@h/d'))).toBe('postgres://u@h/d');
  });

  it('needs a url, a dataDir or inMemory', async () => {
    const err = await openDatabase({}).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('invalid');
  });

  // initdb on disk writes and syncs a whole cluster: tens of seconds on a loaded machine, hence the timeout.
  it('keeps PGlite data in <dataDir>/pgdata across a close and reopen', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ncg-store-'));
    dirs.push(dataDir);
    const first = await openDatabase({ dataDir });
    expect([first.kind, first.location]).toEqual(['pglite', `PGlite at ${join(dataDir, 'pgdata')}`]);
    await migrateToLatest(first.db);
    await setMeta(first.db, 'persisted', 'yes');
    await first.close();
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);

    const second = await openDatabase({ dataDir });
    try {
      expect(await pendingMigrations(second.db)).toEqual([]);
      expect(await getMeta(second.db, 'persisted')).toBe('yes');
    } finally {
      await second.close();
    }
  });
});
