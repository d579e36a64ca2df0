/**
 * What of a cluster each caller sees. Everyone who may submit sees the inventory (sites, pools, GPU types,
 * free GPUs); a cluster's backend settings (`config`: its slurmrestd URL, namespace mode, …) describe a
 * site's infrastructure and are shown only to national admins and the CoE operators of that site.
 */
import { hasRole, type Principal } from '../domain/principal.js';
import type { ClusterView } from './inventory-service.js';

/** `view` as `p` may see it. */
export function clusterFor(p: Principal, view: ClusterView): ClusterView {
  if (hasRole(p, 'national-admin') || (hasRole(p, 'coe-operator') && p.operatorSiteIds.includes(view.siteId))) return view;
  const { config: _config, ...rest } = view;
  return rest;
}
