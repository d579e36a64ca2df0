/**
 * Reading the simulator's YAML inputs (grid, policy, synthetic workload) through a zod schema, with errors
 * that name the offending key (`policy.yaml: weights.fairshare: expected number`) so a committee member can
 * fix a file without reading code.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DomainError, type FieldIssue } from '../domain/errors.js';

/** Parse YAML text and validate it; throws DomainError `invalid` listing every bad key. */
export function readYaml<S extends z.ZodType>(text: string, schema: S, fileName: string): z.output<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw DomainError.invalid(`${fileName}: not valid YAML: ${(e as Error).message}`);
  }
  return validate(data, schema, fileName);
}

/** Validate already-parsed data against a schema; throws DomainError `invalid` listing every bad key. */
export function validate<S extends z.ZodType>(data: unknown, schema: S, fileName: string): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (base ? `${base}.${k}` : k));
      return { path: keys.join(', '), message: `unknown key${keys.length > 1 ? 's' : ''} (check the spelling)` };
    }
    return { path: base || '(top level)', message: issue.message };
  });
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
  throw DomainError.invalid(`${fileName}: invalid:\n${lines}`, issues);
}
