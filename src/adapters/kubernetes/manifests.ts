/**
 * The Kubernetes objects ncg creates for a job, as plain data: an Indexed Job (one pod per node of the
 * gang), a headless Service for multi-node jobs, and the institution's namespace. Pure functions, so a test
 * can validate every manifest against the official OpenAPI schemas without a cluster.
 */
import type { V1EnvVar, V1Job, V1Namespace, V1PodSpec, V1Service } from '@kubernetes/client-node';
import type { SubmitRequest } from '../port.js';
import type { KubernetesClusterConfig } from './config.js';
import {
  ANNOTATION_IDEMPOTENCY_KEY,
  ANNOTATION_JOB_ID,
  ANNOTATION_SIM,
  ANNOTATION_USER_ID,
  ANNOTATION_COMPLETION_INDEX,
  LABEL_INSTITUTION,
  LABEL_JOB_ID,
  LABEL_KUEUE_QUEUE,
  LABEL_MANAGED_BY,
  LABEL_PROJECT,
  jobName,
  labelValue,
} from './names.js';

/** CPU as a Kubernetes quantity: whole cores stay whole, fractions become millicores. */
export function cpuQuantity(cpus: number): string {
  return Number.isInteger(cpus) ? String(cpus) : `${Math.round(cpus * 1000)}m`;
}

/** Memory in GB (as ncg's specs count it, GiB) as a quantity in Mi, so fractions survive. */
export function memoryQuantity(gb: number): string {
  return `${Math.round(gb * 1024)}Mi`;
}

/** Labels every object of one ncg job carries; the job-id label is what ncg watches. */
export function jobLabels(req: SubmitRequest): Record<string, string> {
  return {
    [LABEL_JOB_ID]: labelValue(req.jobId),
    [LABEL_INSTITUTION]: labelValue(req.institutionId),
    [LABEL_PROJECT]: labelValue(req.projectId),
    [LABEL_MANAGED_BY]: 'ncg',
  };
}

/** Rendezvous and bookkeeping variables; the pod's rank comes from its completion-index annotation. */
function ncgEnv(req: SubmitRequest, name: string, config: KubernetesClusterConfig): V1EnvVar[] {
  const { spec } = req;
  const env: V1EnvVar[] = [
    { name: 'NCG_JOB_ID', value: req.jobId },
    { name: 'NCG_NODES', value: String(spec.nodes) },
    { name: 'NCG_GPUS_PER_NODE', value: String(spec.gpusPerNode) },
    { name: 'WORLD_SIZE', value: String(spec.nodes) },
    { name: 'RANK', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${ANNOTATION_COMPLETION_INDEX}']` } } },
    // Pods of an Indexed Job with a subdomain get the hostname `<job>-<index>`: rank 0 is the rendezvous host.
    { name: 'MASTER_ADDR', value: spec.nodes > 1 ? `${name}-0.${name}` : '127.0.0.1' },
    { name: 'MASTER_PORT', value: String(config.masterPort) },
  ];
  if (spec.sim) {
    // For test images that emulate a run (`sleep $NCG_SIM_DURATION_SECONDS; exit $NCG_SIM_EXIT_CODE`).
    env.push({ name: 'NCG_SIM_DURATION_SECONDS', value: String(spec.sim.durationSeconds) });
    env.push({ name: 'NCG_SIM_EXIT_CODE', value: String(spec.sim.exitCode ?? 0) });
  }
  return env;
}

/** The pod template's spec: one container with the gang's per-node share of GPUs, CPU and memory. */
function podSpec(req: SubmitRequest, name: string, config: KubernetesClusterConfig): V1PodSpec {
  const { spec } = req;
  const pool = config.pools[req.poolName];
  const ours = ncgEnv(req, name, config);
  const reserved = new Set(ours.map((e) => e.name));
  const userEnv = Object.entries(spec.env ?? {})
    .filter(([k]) => !reserved.has(k))
    .map(([k, v]): V1EnvVar => ({ name: k, value: v }));
  const amounts: Record<string, string> = { cpu: cpuQuantity(spec.cpusPerNode), memory: memoryQuantity(spec.memoryGbPerNode) };
  if (spec.gpusPerNode > 0) amounts[config.gpuResource] = String(spec.gpusPerNode);
  const command = spec.command ?? (spec.script !== undefined ? ['/bin/sh', '-c', spec.script] : undefined);
  const pod: V1PodSpec = {
    restartPolicy: 'Never',
    nodeSelector: pool?.nodeSelector ?? { [config.poolLabel ?? config.gpuProductLabel]: req.poolName },
    containers: [
      {
        name: 'main',
        image: spec.image ?? config.defaultImage,
        ...(command ? { command } : {}),
        env: [...userEnv, ...ours],
        // Requests equal limits: Guaranteed QoS, and the scheduler's accounting matches what ncg asked for.
        resources: { requests: { ...amounts }, limits: { ...amounts } },
      },
    ],
  };
  const tolerations = [...config.tolerations, ...(pool?.tolerations ?? [])];
  if (tolerations.length > 0) pod.tolerations = tolerations;
  if (spec.nodes > 1) pod.subdomain = name;
  const affinity: NonNullable<V1PodSpec['affinity']> = {};
  if (config.pinNodes && req.nodeNames.length > 0) {
    affinity.nodeAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [...req.nodeNames] }] }] },
    };
  }
  if (spec.nodes > 1) {
    // A gang is N nodes × G GPUs: never two of its pods on one node.
    affinity.podAntiAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { [LABEL_JOB_ID]: labelValue(req.jobId) } }, topologyKey: 'kubernetes.io/hostname' }],
    };
  }
  if (Object.keys(affinity).length > 0) pod.affinity = affinity;
  return pod;
}

/** The Indexed Job for one dispatch, in `namespace`. */
export function buildJob(req: SubmitRequest, namespace: string, config: KubernetesClusterConfig): V1Job {
  const name = jobName(req.jobId);
  const labels = jobLabels(req);
  const jobLabelsAll = config.kueue.enabled ? { ...labels, [LABEL_KUEUE_QUEUE]: config.kueue.queueName } : labels;
  const podAnnotations: Record<string, string> = {};
  if (req.spec.sim) podAnnotations[ANNOTATION_SIM] = JSON.stringify(req.spec.sim);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      labels: jobLabelsAll,
      annotations: { [ANNOTATION_IDEMPOTENCY_KEY]: req.idempotencyKey, [ANNOTATION_JOB_ID]: req.jobId, [ANNOTATION_USER_ID]: req.userId },
    },
    spec: {
      completionMode: 'Indexed',
      completions: req.spec.nodes,
      parallelism: req.spec.nodes,
      backoffLimit: config.backoffLimit,
      // Kubernetes counts whole seconds; round up so a job never gets less than its walltime.
      activeDeadlineSeconds: Math.max(1, Math.ceil(req.spec.walltimeSeconds)),
      ttlSecondsAfterFinished: config.ttlSecondsAfterFinished,
      // Under Kueue the Job waits suspended until Kueue admits it (and unsuspends it).
      suspend: config.kueue.enabled,
      template: {
        metadata: { labels, ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}) },
        spec: podSpec(req, name, config),
      },
    },
  };
}

/** The headless Service that gives a multi-node job's pods DNS names; owned by the Job, so it goes with it. */
export function buildService(req: SubmitRequest, namespace: string, config: KubernetesClusterConfig, owner: { uid: string }): V1Service {
  const name = jobName(req.jobId);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels: jobLabels(req),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: owner.uid, controller: false, blockOwnerDeletion: false }],
    },
    spec: {
      clusterIP: 'None',
      selector: { [LABEL_JOB_ID]: labelValue(req.jobId) },
      // Ranks must resolve each other while they start, before any of them is "ready".
      publishNotReadyAddresses: true,
      ports: [{ name: 'rendezvous', port: config.masterPort, protocol: 'TCP' }],
    },
  };
}

/** An institution's namespace (per-institution mode). */
export function buildNamespace(name: string, institutionId: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [LABEL_MANAGED_BY]: 'ncg', [LABEL_INSTITUTION]: labelValue(institutionId) } } };
}
