/** Requests and configs shared by the Kubernetes unit tests. */
import { kubernetesClusterConfigSchema, type KubernetesClusterConfig, type KubernetesClusterConfigInput } from '../../../src/adapters/kubernetes/config.js';
import type { SubmitRequest } from '../../../src/adapters/port.js';
import type { JobSpec } from '../../../src/domain/types.js';

/** A parsed config over a throwaway kubeconfig path, with overrides. */
export function testConfig(overrides: Partial<KubernetesClusterConfigInput> = {}): KubernetesClusterConfig {
  return kubernetesClusterConfigSchema.parse({ kubeconfig: '/nonexistent/kubeconfig', ...overrides });
}

/** A submit request for `nodes` × `gpus`, spec fields overridable. */
export function testRequest(nodes = 1, gpus = 4, spec: Partial<JobSpec> = {}, req: Partial<SubmitRequest> = {}): SubmitRequest {
  return {
    idempotencyKey: 'dispatch-7f3a-1',
    jobId: 'j-000123',
    institutionId: 'nust',
    projectId: 'llm-urdu',
    userId: 'u-42',
    poolName: 'NVIDIA-H100-80GB-HBM3',
    nodeNames: Array.from({ length: nodes }, (_, i) => `gpu-h100-${i + 1}`),
    spec: {
      name: 'train',
      projectId: 'llm-urdu',
      gpuTypes: ['h100-80gb'],
      nodes,
      gpusPerNode: gpus,
      cpusPerNode: 16,
      memoryGbPerNode: 128,
      walltimeSeconds: 7200,
      qos: 'normal',
      image: 'nvcr.io/nvidia/pytorch:24.08-py3',
      command: ['torchrun', 'train.py'],
      ...spec,
    },
    ...req,
  };
}
