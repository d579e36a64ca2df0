/**
 * The sites of the national AI compute grid and their (simulated) clusters: the three primary CoEs, the
 * four auxiliary centres, the National Data Centre and an AI hub. Each cluster is either HPC-style (Slurm:
 * big training pools, `hpc_job` metric labels) or Kubernetes-style (inference and development on L40S,
 * pod labels). Pool sizes are plausible for a first national build-out, not published figures.
 */
import { GPU_MODELS } from '../domain/gpu-models.js';
import type { Pool, Site } from '../domain/types.js';
import type { SeedCluster } from './types.js';

/** A site row plus the institution that hosts and operates it (its CoE operator belongs there). */
export interface SeedSite extends Site {
  hostInstitutionId: string;
}

/** `[pool name (= GPU type id), nodes, GPUs per node]` */
type PoolShape = [gpuType: string, nodes: number, gpusPerNode: number];

interface ClusterShape {
  /** `hpc` clusters behave like Slurm, `k8s` like Kubernetes (metric labels, naming). */
  style: 'hpc' | 'k8s';
  pools: PoolShape[];
}

const PROVINCE = { ict: 'Islamabad Capital Territory', punjab: 'Punjab', sindh: 'Sindh', kp: 'Khyber Pakhtunkhwa', balochistan: 'Balochistan' } as const;

/** The grid, site by site. 8-GPU nodes for SXM boards (H100, A100), 4-GPU nodes for PCIe L40S servers. */
const GRID: { site: SeedSite; clusters: ClusterShape[] }[] = [
  {
    site: { id: 'coe-islamabad', name: 'Centre of Excellence in AI, Islamabad', city: 'Islamabad', province: PROVINCE.ict, tier: 'primary-coe', hostInstitutionId: 'nust' },
    clusters: [
      { style: 'hpc', pools: [['h100-80gb', 40, 8], ['a100-80gb', 16, 8]] },
      { style: 'k8s', pools: [['l40s', 24, 4]] },
    ],
  },
  {
    site: { id: 'coe-lahore', name: 'Centre of Excellence in AI, Lahore', city: 'Lahore', province: PROVINCE.punjab, tier: 'primary-coe', hostInstitutionId: 'uet-lahore' },
    clusters: [
      { style: 'hpc', pools: [['h100-80gb', 32, 8], ['a100-80gb', 16, 8]] },
      { style: 'k8s', pools: [['l40s', 16, 4]] },
    ],
  },
  {
    site: { id: 'coe-karachi', name: 'Centre of Excellence in AI, Karachi', city: 'Karachi', province: PROVINCE.sindh, tier: 'primary-coe', hostInstitutionId: 'ned' },
    clusters: [
      { style: 'hpc', pools: [['h100-80gb', 32, 8], ['a100-40gb', 16, 8]] },
      { style: 'k8s', pools: [['l40s', 16, 4]] },
    ],
  },
  {
    site: { id: 'aux-peshawar', name: 'Auxiliary AI Compute Centre, Peshawar', city: 'Peshawar', province: PROVINCE.kp, tier: 'auxiliary-coe', hostInstitutionId: 'uet-peshawar' },
    clusters: [{ style: 'hpc', pools: [['a100-80gb', 8, 8], ['l40s', 8, 4]] }],
  },
  {
    site: { id: 'aux-quetta', name: 'Auxiliary AI Compute Centre, Quetta', city: 'Quetta', province: PROVINCE.balochistan, tier: 'auxiliary-coe', hostInstitutionId: 'buitems' },
    clusters: [{ style: 'hpc', pools: [['a100-40gb', 6, 8], ['l40s', 6, 4]] }],
  },
  {
    site: { id: 'aux-faisalabad', name: 'Auxiliary AI Compute Centre, Faisalabad', city: 'Faisalabad', province: PROVINCE.punjab, tier: 'auxiliary-coe', hostInstitutionId: 'uaf' },
    clusters: [{ style: 'hpc', pools: [['a100-40gb', 8, 8], ['l40s', 8, 4]] }],
  },
  {
    site: { id: 'aux-hyderabad', name: 'Auxiliary AI Compute Centre, Hyderabad', city: 'Hyderabad', province: PROVINCE.sindh, tier: 'auxiliary-coe', hostInstitutionId: 'muet' },
    clusters: [{ style: 'hpc', pools: [['a100-40gb', 8, 8], ['l40s', 6, 4]] }],
  },
  {
    site: { id: 'ndc-islamabad', name: 'National Data Centre (NTC), Islamabad', city: 'Islamabad', province: PROVINCE.ict, tier: 'data-centre', hostInstitutionId: 'comsats' },
    clusters: [
      { style: 'hpc', pools: [['h100-80gb', 64, 8], ['a100-80gb', 32, 8]] },
      { style: 'k8s', pools: [['l40s', 32, 4]] },
    ],
  },
  {
    site: { id: 'hub-lahore', name: 'National AI Hub, Arfa Software Technology Park, Lahore', city: 'Lahore', province: PROVINCE.punjab, tier: 'ai-hub', hostInstitutionId: 'itu' },
    clusters: [{ style: 'k8s', pools: [['h100-80gb', 8, 8], ['l40s', 16, 4]] }],
  },
];

/** Sites, clusters and pools of the grid, with readable ids (`coe-islamabad`, `coe-islamabad-hpc`, `coe-islamabad-hpc-h100-80gb`). */
export function gridInfrastructure(): { sites: SeedSite[]; clusters: SeedCluster[]; pools: Pool[] } {
  const sites: SeedSite[] = [];
  const clusters: SeedCluster[] = [];
  const pools: Pool[] = [];
  for (const { site, clusters: shapes } of GRID) {
    sites.push({ ...site });
    for (const shape of shapes) {
      const clusterId = `${site.id}-${shape.style}`;
      const config = shape.style === 'hpc' ? { jobLabelStyle: 'hpc_job' } : { jobLabelStyle: 'kubernetes', namespace: 'ncg-jobs' };
      const kindName = shape.style === 'hpc' ? 'HPC (Slurm-style)' : 'Kubernetes-style';
      clusters.push({ id: clusterId, siteId: site.id, name: `${site.name} — ${kindName}`, kind: 'sim', state: 'active', config });
      for (const [gpuType, nodes, gpusPerNode] of shape.pools) {
        const model = GPU_MODELS[gpuType];
        if (!model) throw new Error(`grid seed: unknown GPU type ${gpuType}`);
        pools.push({ id: `${clusterId}-${gpuType}`, clusterId, name: gpuType, gpuType, nodes, gpusPerNode, gpuMemoryGb: model.memoryGb, bf16Tflops: model.bf16Tflops });
      }
    }
  }
  return { sites, clusters, pools };
}
