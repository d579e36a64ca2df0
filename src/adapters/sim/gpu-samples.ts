/**
 * What each GPU of a sim cluster looks like to dcgm-exporter at scrape time: idle GPUs read 0 % and no
 * framebuffer use; a GPU held by a running job reads the job's utilisation and carries its labels.
 */
import { gpuModel } from '../../domain/gpu-models.js';
import { dcgmJobLabels, simFbUsedMiB, simGpuUuid, type DcgmJobLabelStyle, type GpuSample } from './dcgm-metrics.js';
import type { SimNode } from './nodes.js';
import type { SimJob } from './sim-job.js';

/** How a cluster names jobs on its metrics. */
export interface SampleLabelling {
  style: DcgmJobLabelStyle;
  namespace: string;
}

/** One sample per GPU of `nodes`, in node then index order. `jobOf` finds the job holding a GPU by its key. */
export function collectGpuSamples(clusterId: string, nodes: readonly SimNode[], jobOf: (key: string) => SimJob | undefined, labelling: SampleLabelling): GpuSample[] {
  return nodes.flatMap((node) => {
    const model = gpuModel(node.gpuType);
    return node.gpus.map((key, gpu): GpuSample => {
      // Only running jobs hold GPUs (a run's end releases them), so a holder means a busy GPU.
      const job = key === undefined ? undefined : jobOf(key);
      const util = job ? job.gpuUtilPct : 0;
      const used = job ? simFbUsedMiB(model.memoryMiB, util) : 0;
      const sample: GpuSample = {
        hostname: node.name,
        gpu,
        uuid: simGpuUuid(clusterId, node.name, gpu),
        modelName: model.modelName,
        utilPct: util,
        fbUsedMiB: used,
        fbFreeMiB: model.memoryMiB - used,
      };
      if (job) {
        const rank = job.placement.findIndex((p) => p.node === node.name);
        sample.jobLabels = dcgmJobLabels(labelling.style, job.req.jobId, rank, labelling.namespace);
      }
      return sample;
    });
  });
}
