/** A bad configuration stops `ncg serve` before anything starts, with a non-zero exit naming the key. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function serve(env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, ['bin/ncg.js', 'serve', ...args], {
    env: { ...process.env, ...env, NCG_DATA_DIR: mkdtempSync(join(tmpdir(), 'ncg-cfg-')) },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('ncg serve with a bad configuration', () => {
  it('exits 2 naming NCG_HTTP_PORT when it is not a number', () => {
    const r = serve({ NCG_HTTP_PORT: 'abc' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('http.port (NCG_HTTP_PORT="abc"): expected a whole number');
  });

  it('exits 2 naming an unknown key in the config file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ncg-cfg-')), 'ncg.yaml');
    writeFileSync(file, 'http:\n  port: 8080\nschedular:\n  backfillDepth: 3\n');
    const r = serve({}, ['--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`schedular: unknown key (in ${file})`);
  });
});
