/**
 * REST rule lookup: the table's `METHOD /path` keys compiled to matchers that follow express's own
 * matching (case-insensitive, an optional trailing slash, `:param` = one non-empty segment), so the rule
 * found for a request is the rule of the route express will run.
 */
import type { AccessRule, AccessTable } from './rule.js';

/** A compiled REST rule. */
export interface RestRuleEntry {
  key: string;
  method: string;
  path: string;
  rule: AccessRule;
  params: string[];
  regexp: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `GET /v1/jobs/:id` → its matcher. Throws on a malformed key (a typo in the table stops the server). */
export function compileRestKey(key: string, rule: AccessRule): RestRuleEntry {
  const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/.exec(key);
  if (!m) throw new Error(`authorisation table key ${JSON.stringify(key)} must be "METHOD /path"`);
  const [, method, path] = m as unknown as [string, string, string];
  const params: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return escape(seg);
      params.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { key, method, path, rule, params, regexp: new RegExp(`^${source}/?$`, 'i') };
}

/** A request's rule and decoded path parameters, or undefined when the table has none. */
export interface RestMatch {
  entry: RestRuleEntry;
  params: Record<string, string>;
}

/** The compiled table with a lookup; literal paths win over parameterised ones (`/a/b` before `/a/:id`). */
export class RestRuleTable {
  readonly entries: RestRuleEntry[];

  constructor(table: AccessTable) {
    this.entries = Object.entries(table)
      .map(([k, r]) => compileRestKey(k, r))
      .sort((a, b) => a.params.length - b.params.length);
  }

  /** The rule for `method path` (HEAD falls back to GET, as express routes it). */
  match(method: string, path: string): RestMatch | undefined {
    const wanted = method.toUpperCase();
    for (const methodTried of wanted === 'HEAD' ? ['HEAD', 'GET'] : [wanted]) {
      for (const entry of this.entries) {
        if (entry.method !== methodTried) continue;
        const m = entry.regexp.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        entry.params.forEach((name, i) => (params[name] = safeDecode(m[i + 1]!)));
        return { entry, params };
      }
    }
    return undefined;
  }

  /** True when a route `method path` (router spelling) has an entry. */
  has(method: string, path: string): boolean {
    return this.entries.some((e) => e.method === method.toUpperCase() && e.path === path);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
