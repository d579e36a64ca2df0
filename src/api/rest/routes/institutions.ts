/** GET /v1/institutions (cursor pagination) and GET /v1/institutions/:id. */
import { Router } from 'express';
import type { Institution } from '../../../domain/types.js';
import { onlyParams, pageParams, type PageParams } from '../query.js';

import type { Page } from '../../../store/cursor.js';

/** What the institution routes read. */
export interface InstitutionReader {
  listInstitutions(page: PageParams): Promise<Page<Institution>>;
  getInstitution(id: string): Promise<Institution>;
}

/** Institution listing and lookup. */
export function institutionRoutes(store: InstitutionReader): Router {
  const r = Router();
  r.get('/institutions', async (req, res) => {
    onlyParams(req.query, ['limit', 'cursor']);
    res.json(await store.listInstitutions(pageParams(req.query)));
  });
  r.get('/institutions/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json(await store.getInstitution(req.params.id));
  });
  return r;
}
