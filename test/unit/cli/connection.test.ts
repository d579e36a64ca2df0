/** Where the user commands connect and which token they send; tables line up. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE as BOOTSTRAP_TOKEN_FILE } from '../../../src/bootstrap/first-start.js';
import { ADMIN_TOKEN_FILE, DEFAULT_URL, isLocal, resolveToken, resolveUrl } from '../../../src/cli/connection.js';
import { CliError, EXIT } from '../../../src/cli/client.js';
import { relative, table } from '../../../src/cli/output.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ncg-cli-conn-'));
mkdirSync(dataDir, { recursive: true });
writeFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'ncg_local-admin\n');

describe('connection', () => {
  it('reads the token file the server writes', () => {
    expect(ADMIN_TOKEN_FILE).toBe(BOOTSTRAP_TOKEN_FILE);
  });

  it('takes --url, then NCG_URL, then the local default', () => {
    expect(resolveUrl('http://a:1/', { NCG_URL: 'http://b:2' })).toBe('http://a:1');
    expect(resolveUrl(undefined, { NCG_URL: 'https://b:2' })).toBe('https://b:2');
    expect(resolveUrl(undefined, {})).toBe(DEFAULT_URL);
    for (const bad of ['nope', 'ftp://x']) {
      const e = (() => {
        try {
          resolveUrl(undefined, { NCG_URL: bad });
        } catch (err) {
          return err as CliError;
        }
      })();
      expect(e?.exitCode).toBe(EXIT.usage);
      expect(e?.message).toContain('NCG_URL');
    }
  });

  it('NCG_TOKEN wins; a local server falls back to the admin-token file; a remote one never does', () => {
    expect(resolveToken('http://127.0.0.1:8080', { NCG_TOKEN: ' ncg_mine ', NCG_DATA_DIR: dataDir })).toBe('ncg_mine');
    expect(resolveToken('http://localhost:8080', { NCG_DATA_DIR: dataDir })).toBe('ncg_local-admin');
    expect(() => resolveToken('https://ncg.example.pk', { NCG_DATA_DIR: dataDir })).toThrow(/set NCG_TOKEN/);
    expect(() => resolveToken('http://127.0.0.1:8080', { NCG_DATA_DIR: join(dataDir, 'empty') })).toThrow(/no API token/);
    expect([isLocal('http://[::1]:8080'), isLocal('http://10.0.0.1')]).toEqual([true, false]);
  });
});

describe('output', () => {
  it('pads columns to their widest cell, right-aligning numbers where asked', () => {
    expect(table(['ID', 'FREE'], [['a', 5], ['long-id', 120]], ['FREE'])).toBe('ID       FREE\na           5\nlong-id   120');
  });

  it('says how long ago or how soon', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(relative(now - 90_000, now)).toBe('1m30s ago');
    expect(relative(new Date(now + 3_600_000).toISOString(), now)).toBe('in 1h');
  });
});
