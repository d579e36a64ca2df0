/**
 * Node objects for the fake, shaped as a GPU node looks with the NVIDIA device plugin and GPU Feature
 * Discovery installed: `nvidia.com/gpu` in capacity/allocatable, `nvidia.com/gpu.product` and the
 * well-known hostname label, and a Ready condition.
 */
import type { FakeObject } from './object-store.js';

/** How to build one fake node. */
export interface FakeNodeSpec {
  name: string;
  /** GPUs the device plugin advertises (0: a CPU node). */
  gpus: number;
  /** GFD product label value, e.g. `NVIDIA-H100-80GB-HBM3`. */
  product?: string;
  labels?: Record<string, string>;
  ready?: boolean;
  unschedulable?: boolean;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  cpu?: number;
  memoryGi?: number;
}

/** The Ready condition in a given state. */
export function readyCondition(ready: boolean, at: string): Record<string, unknown> {
  return ready
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at, lastTransitionTime: at }
    : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: at, lastTransitionTime: at };
}

/** A Node object ready to store. */
export function nodeObject(spec: FakeNodeSpec, at: string): FakeObject {
  const resources: Record<string, string> = { cpu: String(spec.cpu ?? 64), memory: `${spec.memoryGi ?? 512}Gi`, pods: '110' };
  if (spec.gpus > 0) resources['nvidia.com/gpu'] = String(spec.gpus);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        ...(spec.product ? { 'nvidia.com/gpu.product': spec.product, 'nvidia.com/gpu.count': String(spec.gpus) } : {}),
        ...spec.labels,
      },
    },
    spec: { ...(spec.unschedulable ? { unschedulable: true } : {}), ...(spec.taints ? { taints: spec.taints } : {}) },
    status: { capacity: { ...resources }, allocatable: { ...resources }, conditions: [readyCondition(spec.ready ?? true, at)] },
  };
}
