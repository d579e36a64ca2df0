/**
 * The purity rule can fail: ESLint's own API lints probe sources as if they lived in src/scheduler, and the
 * rule must fire on I/O imports, the clock and randomness — and stay quiet elsewhere and on pure code.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('purity lint rule for the scheduling core', () => {
  it.each([
    { what: 'a node: I/O import', code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", rule: 'no-restricted-imports' },
    { what: 'a database library', code: "import { Kysely } from 'kysely';\nexport const x = Kysely;\n", rule: 'no-restricted-imports' },
    { what: 'Date.now()', code: 'export const t = Date.now();\n', rule: 'no-restricted-syntax' },
    { what: 'new Date()', code: 'export const t = new Date();\n', rule: 'no-restricted-syntax' },
    { what: 'Math.random()', code: 'export const r = Math.random();\n', rule: 'no-restricted-syntax' },
    { what: 'process access', code: 'export const e = process.env;\n', rule: 'no-restricted-syntax' },
  ])('fires on $what in src/scheduler', async ({ code, rule }) => {
    expect(await ruleIds(code, 'src/scheduler/purity-probe.ts')).toContain(rule);
  }, 30_000);

  it('is quiet on pure code in src/scheduler, and does not apply outside the pure core', async () => {
    expect(await ruleIds('export const t = new Date(0).toISOString();\n', 'src/scheduler/purity-probe.ts')).toEqual([]);
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/api/purity-probe.ts')).toEqual([]);
  }, 30_000);

  it('the real scheduler sources pass it', async () => {
    const results = await eslint.lintFiles(['src/scheduler/**/*.ts']);
    expect(results.length).toBeGreaterThan(10);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.ruleId} ${m.message}`))).toEqual([]);
  }, 60_000);
});
