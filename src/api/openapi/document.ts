/**
 * The OpenAPI 3.1 document, generated at startup from the operation tables and the zod schemas the server
 * validates requests and builds responses with (`z.toJSONSchema`; OpenAPI 3.1 schemas are JSON Schema
 * 2020-12). Request bodies are rendered as zod *input* (defaults optional, durations as text or seconds),
 * responses as *output*. Schemas with a meta `id` become named components, referenced by `$ref`.
 */
import { z } from 'zod';
import { gridOperations } from './operations-grid.js';
import { jobOperations } from './operations-jobs.js';
import { usageOperations } from './operations-usage.js';
import { reportOperations } from './operations-reports.js';
import { tokenOperations } from './operations-tokens.js';
import { meOperations } from './operations-me.js';
import { allocationOperations } from './operations-allocations.js';
import { adminOperations } from './operations-admin.js';
import type { JsonSchema, OperationDoc, ParamDoc } from './operation.js';

type Io = 'input' | 'output';

/** Every documented endpoint, in the order the reference page lists them. */
export const allOperations: readonly OperationDoc[] = [...gridOperations, ...jobOperations, ...usageOperations, ...reportOperations, ...meOperations, ...tokenOperations, ...allocationOperations, ...adminOperations];

const COMPONENT = '#/components/schemas/';

const ERROR_MEANINGS: Record<number, string> = {
  400: 'Invalid request: `details.issues` names each bad field or parameter.',
  401: 'Missing, malformed, unknown, revoked or expired bearer token.',
  403: 'The token’s user may not do this.',
  404: 'No such resource (or not visible to this user).',
  409: 'Conflicts with the current state (e.g. an Idempotency-Key reused with a different body).',
  413: 'The body is larger than the server’s limit (http.bodyLimitBytes).',
  429: 'Too many requests (per token, per address, or failed authentications); wait `Retry-After` seconds.',
  415: 'The body is not application/json.',
  422: 'Well-formed, but cannot be done.',
  503: 'A dependency (database, cluster) is unavailable; retry later.',
};

/** The OpenAPI document as plain JSON. */
export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };

/** A JSON Schema for a zod schema: a `$ref` for named schemas, inline otherwise. Records which components are needed. */
function schemaFor(schema: z.ZodType, io: Io, needed: Record<Io, Set<string>>): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) {
    needed[io].add(id);
    return { $ref: `${COMPONENT}${id}` };
  }
  // A single-schema rendering puts named sub-schemas under $defs; point those refs at the components instead.
  const { $schema: _s, $defs: _d, ...inline } = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: tidy }) as JsonSchema;
  const rewritten = JSON.parse(JSON.stringify(inline).replaceAll('"#/$defs/', `"${COMPONENT}`)) as JsonSchema;
  for (const ref of refsIn(rewritten)) needed[io].add(ref);
  return rewritten;
}

/** Drop zod's long RFC 3339 regex where `format: date-time` already says it. */
function tidy(ctx: { jsonSchema: JsonSchema }): void {
  if (ctx.jsonSchema.format === 'date-time') delete ctx.jsonSchema.pattern;
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT)) out.push(v.slice(COMPONENT.length));
      else refsIn(v, out);
    }
  }
  return out;
}

/** Named components for `ids` and everything they reference, rendered for `io`. */
function components(ids: Set<string>, io: Io): Record<string, JsonSchema> {
  const all = z.toJSONSchema(z.globalRegistry, { io, uri: (i) => `${COMPONENT}${i}`, unrepresentable: 'any', override: tidy }).schemas as Record<string, JsonSchema>;
  const out: Record<string, JsonSchema> = {};
  const todo = [...ids];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (out[id]) continue;
    const found = all[id];
    if (!found) throw new Error(`OpenAPI: schema ${id} is referenced but not registered`);
    const { $schema: _s, $id: _i, ...schema } = found;
    out[id] = schema;
    todo.push(...refsIn(schema));
  }
  return out;
}

function parameter(p: ParamDoc): Record<string, unknown> {
  return { name: p.name, in: p.in, description: p.description, required: p.in === 'path' ? true : (p.required ?? false), schema: p.schema, ...(p.example !== undefined ? { example: p.example } : {}) };
}

function operation(op: OperationDoc, needed: Record<Io, Set<string>>): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const type = r.contentType ?? 'application/json';
    const media: Record<string, unknown> = r.schema ? { schema: schemaFor(r.schema, 'output', needed) } : { schema: { type: 'string' } };
    if (r.example !== undefined) media.example = r.example;
    responses[status] = { description: r.description, content: { [type]: media }, ...(r.headers ? { headers: r.headers } : {}) };
  }
  for (const status of [...(op.auth ? [401] : []), ...(op.errors ?? [])]) {
    needed.output.add('Error');
    responses[String(status)] ??= { description: ERROR_MEANINGS[status] ?? 'Error.', content: { 'application/json': { schema: { $ref: `${COMPONENT}Error` } } } };
  }
  const out: Record<string, unknown> = { operationId: op.operationId, tags: [op.tag], summary: op.summary, description: op.description, security: op.auth ? [{ bearer: [] }] : [] };
  if (op.params?.length) out.parameters = op.params.map(parameter);
  if (op.requestBody) {
    out.requestBody = {
      required: true,
      description: op.requestBody.description,
      content: { 'application/json': { schema: schemaFor(op.requestBody.schema, 'input', needed), example: op.requestBody.example } },
    };
  }
  out.responses = responses;
  return out;
}

/** Build the document for `ops` (default: every endpoint). */
export function buildOpenApiDocument(ops: readonly OperationDoc[] = allOperations, version = '1.0.0'): OpenApiDocument {
  const needed: Record<Io, Set<string>> = { input: new Set(), output: new Set() };
  const paths: OpenApiDocument['paths'] = {};
  for (const op of ops) (paths[op.path] ??= {})[op.method] = operation(op, needed);
  const inputs = components(needed.input, 'input');
  const outputs = components(needed.output, 'output');
  for (const id of Object.keys(inputs)) {
    // One name, one shape: a schema whose request and response renderings differ needs two ids.
    if (outputs[id] && JSON.stringify(outputs[id]) !== JSON.stringify(inputs[id])) throw new Error(`OpenAPI: schema ${id} differs as request and response; give them separate ids`);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ncg — National Compute Grid API',
      version,
      description: 'One national queue over Kubernetes and Slurm GPU clusters. Every /v1 request carries `Authorization: Bearer <api token>`.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'jobs', description: 'Submit, watch and cancel jobs; the queue.' },
      { name: 'grid', description: 'Sites, clusters and institutions.' },
      { name: 'usage', description: 'GPU-hours used, budgets and metering discrepancies.' },
      { name: 'probes', description: 'Health, readiness and metrics (no token).' },
      { name: 'docs', description: 'This document and the reference page (no token).' },
      { name: 'reports', description: 'National KPIs, the Pillar-5 report, snapshots and the dashboard’s data.' },
      { name: 'identity', description: 'Who the token belongs to, and the projects it may charge.' },
      { name: 'tokens', description: 'API tokens: create (secret shown once), list, revoke.' },
      { name: 'allocations', description: 'Awards, project splits, change requests and their decisions.' },
      { name: 'projects', description: 'Projects and who may submit to them.' },
      { name: 'audit', description: 'The audit log of every mutating action.' },
    ],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An ncg API token (`ncg_…`), shown once when created.' } },
      schemas: { ...outputs, ...inputs },
    },
  };
}
