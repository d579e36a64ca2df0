/** Reading every YAML file and document under deploy/ for the deployment tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Repository root, from this file's location. */
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** Every file under `dir` (relative to the repository root) whose name ends in one of `exts`. */
export function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.some((x) => e.name.endsWith(x))) out.push(relative(repoRoot, p));
    }
  };
  walk(join(repoRoot, dir));
  return out.sort();
}

/** One parsed YAML document, with the problems the parser reported. */
export interface ParsedDoc {
  file: string;
  index: number;
  value: unknown;
  errors: string[];
  warnings: string[];
}

/** Parse all documents of a YAML file (strict: duplicate keys are errors). */
export function parseYamlFile(file: string): ParsedDoc[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true }).map((d, index) => ({
    file,
    index,
    value: d.toJS(),
    errors: d.errors.map((e) => e.message),
    warnings: d.warnings.map((w) => w.message),
  }));
}
