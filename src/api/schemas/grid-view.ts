/** Response shapes of the grid endpoints (sites, clusters, institutions) and of the probes. */
import { z } from 'zod';
import { pageOf } from './common.js';

/** A site. */
export const siteViewSchema = z
  .strictObject({
    id: z.string().meta({ examples: ['coe-islamabad'] }),
    name: z.string(),
    city: z.string(),
    province: z.string(),
    tier: z.enum(['primary-coe', 'auxiliary-coe', 'data-centre', 'ai-hub']),
  })
  .meta({ id: 'Site', description: 'A CoE, auxiliary centre, data centre or AI hub.' });

/** A pool with live numbers. */
export const poolViewSchema = z
  .strictObject({
    id: z.string(),
    clusterId: z.string(),
    name: z.string(),
    gpuType: z.string().meta({ examples: ['h100-80gb'] }),
    nodes: z.number().int(),
    gpusPerNode: z.number().int(),
    gpuMemoryGb: z.number(),
    bf16Tflops: z.number().meta({ description: 'Dense bf16 TFLOPS per GPU.' }),
    totalGpus: z.number().int(),
    freeGpus: z.number().int().meta({ description: 'Free GPUs on healthy nodes now (0 when the cluster is unreachable).' }),
    healthyNodes: z.number().int(),
  })
  .meta({ id: 'Pool', description: 'A homogeneous group of nodes in a cluster, with live free/total GPUs.' });

/** A cluster with its site, pools and reachability. */
export const clusterViewSchema = z
  .strictObject({
    id: z.string(),
    siteId: z.string(),
    name: z.string(),
    kind: z.enum(['kubernetes', 'slurm', 'sim']),
    state: z.enum(['active', 'draining', 'offline']),
    config: z.record(z.string(), z.unknown()).optional().meta({ description: 'Backend settings as registered.' }),
    site: z.strictObject({ id: z.string(), name: z.string(), city: z.string(), province: z.string() }),
    reachable: z.boolean(),
    message: z.string().optional().meta({ description: 'Why the cluster is unreachable.' }),
    totalGpus: z.number().int(),
    freeGpus: z.number().int(),
    pools: z.array(poolViewSchema),
  })
  .meta({ id: 'Cluster', description: 'A Kubernetes, Slurm or simulated cluster at a site.' });

/** An institution. */
export const institutionViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    shortName: z.string(),
    province: z.string(),
    city: z.string(),
    shares: z.number().meta({ description: 'Fair-share weight among institutions.' }),
  })
  .meta({ id: 'Institution', description: 'A university or research body.' });

/** Lists without pagination. */
export const siteListSchema = z.strictObject({ items: z.array(siteViewSchema) }).meta({ id: 'SiteList', description: 'All sites.' });
export const clusterListSchema = z.strictObject({ items: z.array(clusterViewSchema) }).meta({ id: 'ClusterList', description: 'All clusters.' });
export const institutionPageSchema = pageOf(institutionViewSchema, 'InstitutionPage', 'Institutions by id.');

/** GET /healthz. */
export const healthSchema = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health', description: 'The process is alive.' });

/** GET /readyz. */
export const readinessSchema = z
  .strictObject({
    status: z.enum(['ready', 'not ready']),
    checks: z.record(z.string(), z.string()).meta({ description: 'Each check and its result (`ok` or what is wrong).' }),
  })
  .meta({ id: 'Readiness', description: 'Whether the process can serve: database reachable, migrations applied.' });
