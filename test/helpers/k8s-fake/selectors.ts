/**
 * Label and field selectors as the API server parses them: `a=b`, `a==b`, `a!=b`, `a`, `!a`,
 * `a in (x,y)`, `a notin (x,y)` for labels; `path=value` / `path!=value` on a few known fields.
 */
import { HttpStatusError } from './status.js';

type Labels = Record<string, string> | undefined;

/** A compiled selector: true when an object matches. */
export type Matcher = (obj: FakeObjectLike) => boolean;

/** The little the selectors read of an object. */
export interface FakeObjectLike {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
  status?: unknown;
}

/** Split on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function labelTerm(term: string): (labels: Labels) => boolean {
  let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => l?.[key] !== undefined && values.has(l[key]) : (l) => l?.[key] === undefined || !values.has(l[key]);
  }
  m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === '!=' ? (l) => l?.[key] !== value : (l) => l?.[key] === value;
  }
  m = /^(!?)([^\s!=(),]+)$/.exec(term);
  if (m) {
    const [, not, key] = m as unknown as [string, string, string];
    return not ? (l) => l?.[key] === undefined : (l) => l?.[key] !== undefined;
  }
  throw new HttpStatusError('BadRequest', `unable to parse requirement: ${term}`);
}

/** Compile a labelSelector query value (empty: match all). */
export function labelSelector(s: string | null | undefined): Matcher {
  if (!s) return () => true;
  const terms = splitTerms(s).map(labelTerm);
  return (obj) => terms.every((t) => t(obj.metadata.labels));
}

/** Field paths the fake supports, and how to read them. */
const FIELDS: Record<string, (o: FakeObjectLike) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
  'spec.nodeName': (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '',
  'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '',
  'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false),
};

/** Compile a fieldSelector query value (empty: match all). Unknown fields are a 400, as on a real server. */
export function fieldSelector(s: string | null | undefined): Matcher {
  if (!s) return () => true;
  const terms = splitTerms(s).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw new HttpStatusError('BadRequest', `invalid field selector: ${term}`);
    const [, path, op, value] = m as unknown as [string, string, string, string];
    const read = FIELDS[path];
    if (!read) throw new HttpStatusError('BadRequest', `field label not supported: ${path}`);
    return (o: FakeObjectLike) => (op === '!=' ? read(o) !== value : read(o) === value);
  });
  return (obj) => terms.every((t) => t(obj));
}
