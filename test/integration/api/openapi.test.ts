/**
 * The OpenAPI document and the reference page: every route the express app registers is documented (and
 * nothing documented is missing from the app), every $ref resolves, every example validates against its
 * generated JSON Schema (Ajv, draft 2020-12) and against the zod schema it came from, and the real
 * responses of the grid endpoints match their documented shapes.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, allOperations } from '../../../src/api/openapi/document.js';
import { clusterListSchema, healthSchema, institutionPageSchema, readinessSchema, siteListSchema } from '../../../src/api/schemas/grid-view.js';
import { allocationUsageSchema, discrepancyPageSchema, usageAnswerSchema } from '../../../src/api/schemas/usage-view.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
}

/** Every `METHOD /path` the app answers, found by walking express 5's router stack (nested routers included). */
function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push(`${m} ${prefix}${p}`);
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}

/** `/v1/jobs/:id` → `/v1/jobs/{id}`. */
const openApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('pglite');
});
afterAll(async () => h?.close());

describe('the OpenAPI document', () => {
  it('documents every route the app registers, and only those', () => {
    const doc = buildOpenApiDocument();
    const routes = registeredRoutes(h.app).map((r) => {
      const [m, p] = r.split(' ');
      return `${m} ${openApiPath(p!)}`;
    });
    // The walker must see the routes we know of, or this test would pass on an empty list.
    expect(routes).toEqual(expect.arrayContaining(['post /v1/jobs', 'get /v1/jobs/{id}', 'delete /v1/jobs/{id}', 'get /v1/queue', 'get /healthz', 'get /openapi.json', 'get /v1/usage']));
    const documented = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`));
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !routes.includes(d))).toEqual([]);
  });

  it('is OpenAPI 3.1 with bearer security, a 401 on every authenticated operation, and resolvable $refs', () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    const components = (doc.components as { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> });
    expect(components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const op of allOperations) {
      const rendered = doc.paths[op.path]![op.method] as { responses: Record<string, unknown>; security: unknown[] };
      expect(Object.keys(rendered.responses).includes('401')).toBe(op.auth);
      expect(rendered.security).toEqual(op.auth ? [{ bearer: [] }] : []);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(components.schemas[ref], ref).toBeDefined();
    expect(components.schemas.JobSubmit).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['name', 'project', 'walltime']) });
  });

  it('has examples that validate against the generated JSON Schemas and the zod schemas', () => {
    const doc = buildOpenApiDocument();
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
    let checked = 0;
    for (const op of allOperations) {
      const cases = [
        ...(op.requestBody ? [{ schema: op.requestBody.schema, example: op.requestBody.example, where: `${op.operationId} request` }] : []),
        ...Object.entries(op.responses).filter(([, r]) => r.schema && r.example !== undefined).map(([s, r]) => ({ schema: r.schema!, example: r.example, where: `${op.operationId} ${s}` })),
      ];
      for (const c of cases) {
        const rendered = JSON.stringify(doc.paths[op.path]![op.method]);
        const ref = /"\$ref":"#\/components\/schemas\/([^"]+)"/.exec(rendered);
        expect(ref, c.where).not.toBeNull();
        expect(c.schema.safeParse(c.example).success, `${c.where} (zod)`).toBe(true);
        checked++;
      }
      for (const [status, r] of Object.entries((doc.paths[op.path]![op.method] as { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string }; example?: unknown }> }> }).responses)) {
        const media = r.content?.['application/json'];
        if (!media?.schema?.$ref || media.example === undefined) continue;
        const validate = ajv.getSchema(`openapi.json${media.schema.$ref}`)!;
        expect(validate(media.example), `${op.operationId} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(8);
  });

  it('rejects, through Ajv, what the server rejects (the JSON Schema is not looser than zod on the basics)', () => {
    const doc = buildOpenApiDocument();
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
    const validate = ajv.getSchema('openapi.json#/components/schemas/JobSubmit')!;
    expect(validate({ name: 'x', project: 'p', walltime: '1h' })).toBe(true);
    for (const bad of [{ project: 'p', walltime: 60 }, { name: 'x', project: 'p', walltime: 60, colour: 1 }, { name: 'x', project: 'p', walltime: 60, gpusPerNode: 0 }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('serving the documentation', () => {
  it('serves /openapi.json without a token', async () => {
    const r = await h.call('GET', '/openapi.json', { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('serves a self-contained reference page listing every endpoint with a curl line', async () => {
    const r = await h.call('GET', '/docs/api', { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = r.body as string;
    for (const op of allOperations) {
      expect(html).toContain(`id="${op.operationId}"`);
      expect(html).toContain(`<code>${op.path.replace(/&/g, '&amp;')}</code>`);
    }
    expect(html).toContain('curl -sS -X POST &quot;$NCG_URL/v1/jobs&quot;');
    expect(html).toContain('Idempotency-Key');
    expect(html).toContain('id="schema-JobSubmit"');
    expect(html).not.toMatch(/<script|<link|\ssrc=|https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
  });

  it('answers the grid endpoints in their documented shapes', async () => {
    siteListSchema.parse((await h.call('GET', '/v1/sites')).body);
    clusterListSchema.parse((await h.call('GET', '/v1/clusters')).body);
    institutionPageSchema.parse((await h.call('GET', '/v1/institutions?limit=2')).body);
    healthSchema.parse((await h.call('GET', '/healthz', { token: null })).body);
    readinessSchema.parse((await h.call('GET', '/readyz', { token: null })).body);
  });

  it('answers the usage endpoints in their documented shapes', async () => {
    const usage = usageAnswerSchema.parse((await h.call('GET', '/v1/usage?institution=inst-00&groupBy=project')).body);
    expect(usage.allocations?.length).toBeGreaterThan(0);
    allocationUsageSchema.parse((await h.call('GET', '/v1/allocations/alloc-inst-00-2026q1/usage')).body);
    discrepancyPageSchema.parse((await h.call('GET', '/v1/metering/discrepancies')).body);
  });
});
