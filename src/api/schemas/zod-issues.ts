/**
 * Turning zod failures into `DomainError.invalid` with one FieldIssue per bad field, so a client sees every
 * problem at once, with dotted paths (`sim.durationSeconds`, `command.2`) and messages that say what is
 * expected. Echoed keys and paths are truncated: a hostile body must not be reflected back at full size.
 */
import type { z } from 'zod';
import { DomainError, type FieldIssue } from '../../domain/errors.js';

const MAX_ECHO = 80;
/** More issues than this are summarised: nobody reads 10,000 of them, and building them costs time. */
const MAX_ISSUES = 50;

function clip(s: string): string {
  return s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}…` : s;
}

/** Dotted path of a zod path; the empty path is the body itself. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(body)' : clip(path.map((p) => String(p)).join('.'));
}

/**
 * A per-parse error map: a missing field says `required` instead of "expected string, received undefined".
 * Pass it as `schema.safeParse(input, { error: requiredMessages })`.
 */
export const requiredMessages: z.core.$ZodErrorMap = (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'required' : undefined);

/** The issues of a union: those of the branch that got furthest (it had the right type), else the union's own. */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, base: readonly PropertyKey[]): FieldIssue[] {
  const typed = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => !(i.code === 'invalid_type' && i.path.length === 0)));
  if (typed) return typed.flatMap((i) => issueToFields(i, base));
  return [{ path: dottedPath([...base, ...issue.path]), message: issue.message }];
}

function issueToFields(issue: z.core.$ZodIssue, base: readonly PropertyKey[] = []): FieldIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ path: dottedPath([...path, k]), message: 'unknown field' }));
  }
  if (issue.code === 'invalid_union') return unionIssues(issue, base);
  return [{ path: dottedPath(path), message: issue.message }];
}

/**
 * Own `__proto__` keys in nested objects. JSON.parse makes them ordinary keys, and zod drops them from
 * records without a word; a client should hear that the field was refused rather than lose it silently.
 */
export function protoKeyIssues(input: unknown, path: PropertyKey[] = [], depth = 0): FieldIssue[] {
  if (depth > 3 || input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const out: FieldIssue[] = [];
  if (depth > 0 && Object.prototype.hasOwnProperty.call(input, '__proto__')) out.push({ path: dottedPath([...path, '__proto__']), message: 'field name __proto__ is not allowed' });
  for (const [k, v] of Object.entries(input)) if (v !== null && typeof v === 'object') out.push(...protoKeyIssues(v, [...path, k], depth + 1));
  return out;
}

/** Every bad field of a zod error, in body order, one issue per field, capped at MAX_ISSUES. */
export function fieldIssues(error: z.ZodError, extra: FieldIssue[] = []): FieldIssue[] {
  const seen = new Set<string>();
  // A field breaking several rules (empty and not matching a pattern) is named once, by its first problem.
  const all = [...error.issues.flatMap((i) => issueToFields(i)), ...extra].filter((i) => !seen.has(i.path) && seen.add(i.path));
  if (all.length <= MAX_ISSUES) return all;
  return [...all.slice(0, MAX_ISSUES), { path: '(body)', message: `and ${all.length - MAX_ISSUES} more problems` }];
}

/** A DomainError `invalid` whose message names the bad fields (the first few) and whose details list them all. */
export function invalidFrom(error: z.ZodError, what: string, extra: FieldIssue[] = []): DomainError {
  const issues = fieldIssues(error, extra);
  const named = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return DomainError.invalid(`${what} is not valid — ${named.join('; ')}${more}`, issues);
}

/** Parse `input` with `schema` or throw `invalidFrom`. */
export function parseOrInvalid<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input, { error: requiredMessages });
  const proto = protoKeyIssues(input);
  if (!r.success) throw invalidFrom(r.error, what, proto);
  if (proto.length > 0) throw DomainError.invalid(`${what} is not valid — ${proto.map((i) => `${i.path}: ${i.message}`).join('; ')}`, proto);
  return r.data;
}
