/**
 * Rendering JSON Schema fragments of the OpenAPI document as HTML for the reference page: a short type
 * expression (`string | number`, `Job[]`, links to named schemas) and a table of an object's fields with
 * required flags, defaults, limits and descriptions. Everything interpolated is escaped.
 */
import type { JsonSchema } from './operation.js';

/** Escape text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escaped prose with Markdown-style `code` spans rendered as <code> (descriptions use backticks). */
export function prose(text: unknown): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Anchor id of a named schema. */
export function schemaAnchor(name: string): string {
  return `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

const REF = '#/components/schemas/';

/** A short HTML type expression for a schema. */
export function typeHtml(s: JsonSchema | undefined): string {
  if (!s || Object.keys(s).length === 0) return 'any';
  if (typeof s.$ref === 'string') {
    const name = s.$ref.startsWith(REF) ? s.$ref.slice(REF.length) : s.$ref;
    return `<a href="#${schemaAnchor(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(s.enum)) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) return alts.map(typeHtml).join(' | ');
  if (Array.isArray(s.type)) return s.type.map((t) => esc(t)).join(' | ');
  if (s.type === 'array') return `${typeHtml(s.items as JsonSchema | undefined)}[]`;
  if (s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') {
    return `map of ${typeHtml(s.additionalProperties as JsonSchema)}`;
  }
  const format = typeof s.format === 'string' ? ` (${esc(s.format)})` : '';
  return `${esc(s.type ?? 'any')}${format}`;
}

/** Limits and defaults of a field, as short text. */
export function constraintsText(s: JsonSchema): string {
  const parts: string[] = [];
  const add = (key: string, label: string) => {
    if (s[key] !== undefined) parts.push(`${label} ${JSON.stringify(s[key])}`);
  };
  add('default', 'default');
  add('minimum', '≥');
  add('exclusiveMinimum', '>');
  add('maximum', '≤');
  add('minLength', 'min length');
  add('maxLength', 'max length');
  add('minItems', 'min items');
  add('maxItems', 'max items');
  add('pattern', 'pattern');
  const items = s.items as JsonSchema | undefined;
  if (items && typeof items === 'object' && !items.$ref) {
    const inner = constraintsText(items);
    if (inner) parts.push(`each: ${inner}`);
  }
  return parts.join('; ');
}

/** A table of an object schema's fields (or a one-line type for anything else). */
export function fieldsTable(s: JsonSchema): string {
  const props = s.properties as Record<string, JsonSchema> | undefined;
  if (!props) return `<p class="type">${typeHtml(s)}</p>`;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(([name, p]) => {
    const desc = typeof p.description === 'string' ? prose(p.description) : '';
    const limits = constraintsText(p);
    return `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeHtml(p)}</td><td>${desc}${limits ? `<div class="limits">${esc(limits)}</div>` : ''}</td></tr>`;
  });
  const extra = s.additionalProperties === false ? '<p class="note">Unknown fields are rejected.</p>' : '';
  return `<table><thead><tr><th>field</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>${extra}`;
}

/** Pretty JSON in a code block. */
export function jsonBlock(value: unknown): string {
  return `<pre><code>${esc(typeof value === 'string' ? value : JSON.stringify(value, null, 2))}</code></pre>`;
}
