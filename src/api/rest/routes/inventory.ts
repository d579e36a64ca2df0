/** GET /v1/sites and GET /v1/clusters. */
import { Router } from 'express';
import type { InventoryService } from '../../../services/inventory-service.js';
import { clusterFor } from '../../../services/cluster-access.js';
import { principalOf } from '../auth.js';
import { onlyParams } from '../query.js';

/** Sites and clusters (with pools and live free/total GPUs). */
export function inventoryRoutes(inventory: InventoryService): Router {
  const r = Router();
  r.get('/sites', async (req, res) => {
    onlyParams(req.query, []);
    res.json({ items: await inventory.listSites() });
  });
  r.get('/clusters', async (req, res) => {
    onlyParams(req.query, []);
    const p = principalOf(res);
    res.json({ items: (await inventory.listClusters()).map((c) => clusterFor(p, c)) });
  });
  return r;
}
