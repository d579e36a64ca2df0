/**
 * The human API reference at /docs/api: one self-contained HTML page (inline CSS, no scripts, no CDN)
 * rendered from the OpenAPI document, so it says exactly what /openapi.json says — endpoints,
 * parameters, bodies with every field, examples and a curl line for each endpoint.
 */
import type { OpenApiDocument } from './document.js';
import type { JsonSchema } from './operation.js';
import { esc, fieldsTable, jsonBlock, prose, schemaAnchor, typeHtml } from './schema-html.js';

type Op = Record<string, unknown> & { operationId: string; summary: string; description: string; tags: string[]; security: unknown[] };
type Param = { name: string; in: string; description: string; required: boolean; schema: JsonSchema; example?: unknown };
type Media = { schema?: JsonSchema; example?: unknown };

const CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
main{max-width:1000px;margin:0 auto;padding:24px}nav{columns:2;margin-bottom:24px}nav a{display:block}
h1{margin-top:0}h2{border-bottom:2px solid #dde3ea;padding-bottom:4px;margin-top:40px}
section.op{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:12px 18px;margin:18px 0}
.m{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;font-weight:600;margin-right:8px}
.get{background:#2f7d4f}.post{background:#2a5fb0}.delete{background:#b03a2a}.put,.patch{background:#8a5a00}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #e3e8ee;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f4f7}.req{color:#b03a2a;font-size:12px}.limits,.note{color:#5b6675;font-size:13px}
pre{background:#0f1720;color:#e6edf3;padding:10px;border-radius:4px;overflow-x:auto;font-size:13px}code{font-family:ui-monospace,monospace}
.auth{font-size:13px;color:#5b6675}`;

function curlLine(method: string, path: string, op: Op): string {
  const params = (op.parameters as Param[] | undefined) ?? [];
  let url = path;
  for (const p of params.filter((x) => x.in === 'path')) url = url.replace(`{${p.name}}`, encodeURIComponent(String(p.example ?? p.name)));
  const query = params.filter((p) => p.in === 'query' && p.example !== undefined).map((p) => `${p.name}=${encodeURIComponent(String(p.example))}`);
  const parts = [`curl -sS${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} "$NCG_URL${url}${query.length ? `?${query.join('&')}` : ''}"`];
  if (op.security.length > 0) parts.push('-H "Authorization: Bearer $NCG_TOKEN"');
  for (const h of params.filter((p) => p.in === 'header' && p.example !== undefined)) parts.push(`-H '${h.name}: ${String(h.example)}'`);
  const body = (op.requestBody as { content: Record<string, Media> } | undefined)?.content['application/json']?.example;
  if (body !== undefined) parts.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(body).replace(/'/g, `'\\''`)}'`);
  return parts.join(' \\\n  ');
}

function paramsTable(params: Param[]): string {
  const rows = params.map(
    (p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeHtml(p.schema)}</td><td>${prose(p.description)}</td></tr>`,
  );
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function responsesHtml(responses: Record<string, { description: string; content?: Record<string, Media> }>): string {
  const items = Object.entries(responses).map(([status, r]) => {
    const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
    const schema = media?.schema ? ` — ${typeHtml(media.schema)}` : '';
    const example = media?.example !== undefined ? `<details><summary>example (${esc(type)})</summary>${jsonBlock(media.example)}</details>` : '';
    return `<li><strong>${esc(status)}</strong> ${prose(r.description)}${schema}${example}</li>`;
  });
  return `<h4>Responses</h4><ul>${items.join('')}</ul>`;
}

function operationHtml(method: string, path: string, op: Op): string {
  const params = (op.parameters as Param[] | undefined) ?? [];
  const body = op.requestBody as { description: string; content: Record<string, Media> } | undefined;
  const media = body?.content['application/json'];
  const bodyHtml = media
    ? `<h4>Request body</h4><p>${prose(body!.description)} ${typeHtml(media.schema)}</p>${media.example !== undefined ? `<details open><summary>example</summary>${jsonBlock(media.example)}</details>` : ''}`
    : '';
  return `<section class="op" id="${esc(op.operationId)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span><code>${esc(path)}</code> — ${esc(op.summary)}</h3>
<p class="auth">${op.security.length > 0 ? 'Requires <code>Authorization: Bearer &lt;api token&gt;</code>.' : 'No token needed.'}</p>
<p>${prose(op.description)}</p>${params.length ? paramsTable(params) : ''}${bodyHtml}${responsesHtml(op.responses as never)}
<h4>Try it</h4>${jsonBlock(curlLine(method, path, op))}</section>`;
}

/** The complete reference page for `doc`. */
export function renderReferencePage(doc: OpenApiDocument): string {
  const info = doc.info as { title: string; version: string; description: string };
  const tags = (doc.tags as { name: string; description: string }[]) ?? [];
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Op })));
  const schemas = ((doc.components as { schemas: Record<string, JsonSchema> }).schemas) ?? {};
  const nav = ops.map((o) => `<a href="#${esc(o.op.operationId)}">${esc(o.method.toUpperCase())} ${esc(o.path)}</a>`).join('');
  const sections = tags
    .map((t) => `<h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2><p>${prose(t.description)}</p>${ops.filter((o) => o.op.tags.includes(t.name)).map((o) => operationHtml(o.method, o.path, o.op)).join('\n')}`)
    .join('\n');
  const schemaHtml = Object.entries(schemas)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => `<section class="op" id="${schemaAnchor(name)}"><h3>${esc(name)}</h3>${typeof s.description === 'string' ? `<p>${prose(s.description)}</p>` : ''}${fieldsTable(s)}</section>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} — reference</title><style>${CSS}</style></head><body><main>
<h1>${esc(info.title)}</h1><p>Version ${esc(info.version)}. ${prose(info.description)} Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
<p>Set <code>NCG_URL</code> (e.g. <code>http://127.0.0.1:8080</code>) and <code>NCG_TOKEN</code> to run the curl lines. Errors always have the shape of <a href="#${schemaAnchor('Error')}">Error</a>.</p>
<nav>${nav}</nav>${sections}<h2 id="schemas">Schemas</h2>${schemaHtml}</main></body></html>`;
}
