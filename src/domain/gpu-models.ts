/**
 * The catalogue of GPU types the grid knows: the id used in pools and job specs, what the driver calls the
 * card (dcgm-exporter's `modelName`), its memory and its dense bf16 throughput for capacity KPIs.
 * Pure data: the seed builds pools from it and the sim clusters render metrics from it.
 */

/** One GPU type. */
export interface GpuModel {
  /** Id used in pools, job specs and KPIs, e.g. `h100-80gb`. */
  id: string;
  /** The name NVML reports (and dcgm-exporter prints as `modelName`). */
  modelName: string;
  /** Memory per GPU in GB, as marketed (pool rows, capacity tables). */
  memoryGb: number;
  /** Framebuffer per GPU in MiB, as NVML reports it (dcgm `DCGM_FI_DEV_FB_*` are in MiB). */
  memoryMiB: number;
  /** Dense (not sparse) bf16 tensor TFLOPS per GPU, from the vendor data sheet. */
  bf16Tflops: number;
}

/**
 * Known GPU types. TFLOPS are NVIDIA's dense bf16 figures (H100 SXM 989.5, A100 312, L40S 362.05);
 * MiB are what nvidia-smi shows on those cards, which is slightly less than the marketed size.
 */
export const GPU_MODELS: Readonly<Record<string, GpuModel>> = {
  'h100-80gb': { id: 'h100-80gb', modelName: 'NVIDIA H100 80GB HBM3', memoryGb: 80, memoryMiB: 81559, bf16Tflops: 989 },
  'a100-80gb': { id: 'a100-80gb', modelName: 'NVIDIA A100-SXM4-80GB', memoryGb: 80, memoryMiB: 81920, bf16Tflops: 312 },
  'a100-40gb': { id: 'a100-40gb', modelName: 'NVIDIA A100-SXM4-40GB', memoryGb: 40, memoryMiB: 40960, bf16Tflops: 312 },
  l40s: { id: 'l40s', modelName: 'NVIDIA L40S', memoryGb: 48, memoryMiB: 46068, bf16Tflops: 362 },
};

/**
 * The model for a GPU type id. Unknown ids get a generic entry rather than an error, because a cluster may
 * report a type the catalogue has not learnt yet and metrics should still render.
 */
export function gpuModel(gpuType: string): GpuModel {
  return GPU_MODELS[gpuType] ?? { id: gpuType, modelName: `NVIDIA ${gpuType.toUpperCase()}`, memoryGb: 0, memoryMiB: 0, bf16Tflops: 0 };
}
