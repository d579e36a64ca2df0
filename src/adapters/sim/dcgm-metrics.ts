/**
 * Prometheus text exposition shaped like NVIDIA dcgm-exporter, so the meter reads a sim cluster exactly as
 * it reads a real one. Only the families metering needs are rendered: utilisation and framebuffer use.
 *
 * Series look like dcgm-exporter's:
 *   DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-…",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="<node>",hpc_job="<ncg job id>"} 85
 * Job labels appear only on GPUs a job holds: `hpc_job` (dcgm-exporter's HPC job mapping, used on Slurm)
 * or `pod`/`namespace`/`container` (its Kubernetes pod mapping).
 */
import { createHash } from 'node:crypto';

/** Which job labels a cluster's exporter attaches: Slurm-style `hpc_job` or Kubernetes-style pod labels. */
export type DcgmJobLabelStyle = 'hpc_job' | 'kubernetes';

/** One GPU as the exporter sees it at scrape time. */
export interface GpuSample {
  hostname: string;
  /** Index of the GPU on its node. */
  gpu: number;
  uuid: string;
  modelName: string;
  utilPct: number;
  fbUsedMiB: number;
  fbFreeMiB: number;
  /** Labels of the job holding this GPU; absent when idle. */
  jobLabels?: Record<string, string>;
}

/** The families rendered, with HELP text exactly as dcgm-exporter's default counters print it. */
const FAMILIES = [
  { name: 'DCGM_FI_DEV_GPU_UTIL', help: 'GPU utilization (in %).', value: (s: GpuSample) => s.utilPct },
  { name: 'DCGM_FI_DEV_FB_FREE', help: 'Framebuffer memory free (in MiB).', value: (s: GpuSample) => s.fbFreeMiB },
  { name: 'DCGM_FI_DEV_FB_USED', help: 'Framebuffer memory used (in MiB).', value: (s: GpuSample) => s.fbUsedMiB },
] as const;

/** Metric family names this exporter renders. */
export const DCGM_METRIC_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

/** Render samples (of one or several clusters) as one exposition: each family's HELP/TYPE once, then its series. */
export function renderDcgmExposition(samples: readonly GpuSample[]): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`);
    for (const s of samples) lines.push(`${family.name}{${renderLabels(sampleLabels(s))}} ${family.value(s)}`);
  }
  return lines.join('\n') + '\n';
}

/** A deterministic, UUID-shaped GPU id (`GPU-8-4-4-4-12` hex), stable across restarts for the same GPU. */
export function simGpuUuid(clusterId: string, hostname: string, gpu: number): string {
  const h = createHash('sha1').update(`${clusterId}/${hostname}/${gpu}`).digest('hex');
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Framebuffer a job uses at a given utilisation: 20 % resident (weights, CUDA context) plus up to 70 %
 * more with load. An invented but monotone rule, so tests can compute the exact value.
 */
export function simFbUsedMiB(memoryMiB: number, utilPct: number): number {
  return Math.round(memoryMiB * (0.2 + (0.7 * utilPct) / 100));
}

/** What a job is called on the GPUs it holds, in the given label style. `rank` is the node's index in the gang. */
export function dcgmJobLabels(style: DcgmJobLabelStyle, jobId: string, rank: number, namespace: string): Record<string, string> {
  if (style === 'hpc_job') return { hpc_job: jobId };
  return { pod: `${jobId}-${rank}`, namespace, container: 'main' };
}

function sampleLabels(s: GpuSample): [string, string][] {
  const base: [string, string][] = [
    ['gpu', String(s.gpu)],
    ['UUID', s.uuid],
    ['device', `nvidia${s.gpu}`],
    ['modelName', s.modelName],
    ['Hostname', s.hostname],
  ];
  return s.jobLabels ? [...base, ...Object.entries(s.jobLabels)] : base;
}

function renderLabels(labels: [string, string][]): string {
  return labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
}

/** Escape as the exposition format requires: backslash, double quote and newline. */
function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
