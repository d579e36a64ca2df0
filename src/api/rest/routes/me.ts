/** GET /v1/me: who the token belongs to, their projects, and the project `ncg submit` charges by default. */
import { Router } from 'express';
import type { Principal } from '../../../domain/principal.js';
import type { Me } from '../../../services/whoami.js';
import { principalOf } from '../auth.js';
import { onlyParams } from '../query.js';

/** The caller's identity route. */
export function meRoutes(whoami: (p: Principal) => Promise<Me>): Router {
  const r = Router();
  r.get('/me', async (req, res) => {
    onlyParams(req.query, []);
    res.json(await whoami(principalOf(res)));
  });
  return r;
}
