/**
 * kube-state-metrics series for Kubernetes-style sim clusters, derived from the dcgm view of their GPUs, so
 * the meter's Kubernetes queries (GPU requests of Running pods, joined with the `ncg.io/job-id` pod label)
 * read a sim cluster exactly as they read a real one. Each running job holds one pod per node (`<jobId>-<rank>`),
 * requesting the GPUs it holds there; a finished job's pods vanish with its GPUs.
 *
 * Series look like kube-state-metrics v2's (label `ncg.io/job-id` allow-listed with
 * `--metric-labels-allowlist=pods=[ncg.io/job-id]`):
 *   kube_pod_container_resource_requests{namespace,pod,uid,container,node,resource="nvidia_com_gpu",unit="integer"} 4
 *   kube_pod_status_phase{namespace,pod,uid,phase="Running"} 1   (and 0 for the other phases)
 *   kube_pod_labels{namespace,pod,uid,label_ncg_io_job_id="<jobId>"} 1
 */
import { createHash } from 'node:crypto';
import type { GpuSample } from './dcgm-metrics.js';

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

interface SimPod {
  namespace: string;
  pod: string;
  container: string;
  node: string;
  jobId: string;
  gpus: number;
}

/** Pods of the samples' Kubernetes-style jobs, in first-seen order. */
export function simPods(samples: readonly GpuSample[]): SimPod[] {
  const pods = new Map<string, SimPod>();
  for (const s of samples) {
    const { pod, namespace, container } = s.jobLabels ?? {};
    if (!pod || !namespace) continue;
    const key = `${namespace}/${pod}`;
    const known = pods.get(key);
    if (known) known.gpus++;
    // dcgm-metrics.ts names a job's pod `<jobId>-<rank>`.
    else pods.set(key, { namespace, pod, container: container ?? 'main', node: s.hostname, jobId: pod.replace(/-\d+$/, ''), gpus: 1 });
  }
  return [...pods.values()];
}

/** The kube-state-metrics families for `samples`; empty when no sample belongs to a pod. */
export function renderKubeStateMetrics(samples: readonly GpuSample[]): string {
  const pods = simPods(samples);
  if (pods.length === 0) return '';
  const lines: string[] = [
    '# HELP kube_pod_container_resource_requests The number of requested request resource by a container.',
    '# TYPE kube_pod_container_resource_requests gauge',
    ...pods.map((p) => `kube_pod_container_resource_requests{${labels(p, { container: p.container, node: p.node, resource: 'nvidia_com_gpu', unit: 'integer' })}} ${p.gpus}`),
    '# HELP kube_pod_status_phase The pods current phase.',
    '# TYPE kube_pod_status_phase gauge',
    ...pods.flatMap((p) => PHASES.map((phase) => `kube_pod_status_phase{${labels(p, { phase })}} ${phase === 'Running' ? 1 : 0}`)),
    '# HELP kube_pod_labels Kubernetes labels converted to Prometheus labels.',
    '# TYPE kube_pod_labels gauge',
    ...pods.map((p) => `kube_pod_labels{${labels(p, { label_ncg_io_job_id: p.jobId })}} 1`),
  ];
  return lines.join('\n') + '\n';
}

function labels(p: SimPod, extra: Record<string, string>): string {
  const all: Record<string, string> = { namespace: p.namespace, pod: p.pod, uid: podUid(p), ...extra };
  return Object.entries(all).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

/** A stable, UUID-shaped pod uid. */
function podUid(p: SimPod): string {
  const h = createHash('sha1').update(`${p.namespace}/${p.pod}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
