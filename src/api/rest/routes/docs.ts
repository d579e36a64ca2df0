/** GET /openapi.json and GET /docs/api: the API description and its human reference page (no token). */
import { Router } from 'express';
import { buildOpenApiDocument, type OpenApiDocument } from '../../openapi/document.js';
import { renderReferencePage } from '../../openapi/reference-page.js';

/** The document and page, built once on first use (startup stays fast; the schemas never change at run time). */
export function docsRoutes(build: () => OpenApiDocument = buildOpenApiDocument): Router {
  let cached: { json: string; html: string } | undefined;
  const rendered = () => {
    if (!cached) {
      const doc = build();
      cached = { json: JSON.stringify(doc), html: renderReferencePage(doc) };
    }
    return cached;
  };
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(rendered().json);
  });
  r.get('/docs/api', (_req, res) => {
    // The page is self-contained: forbid everything but its inline styles.
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
    res.type('html').send(rendered().html);
  });
  return r;
}
