/**
 * Configuration of one Kubernetes cluster behind ncg: how to reach its API server, where Jobs go, how GPU
 * types are recognised on nodes, whether Kueue admits the Jobs, and how long ncg waits on stuck pods.
 * Objects are strict like the rest of ncg's configuration, so a misspelt key is an error that names it.
 */
import { z } from 'zod';

/** A pod toleration, as in `spec.tolerations` (GPU nodes are often tainted `nvidia.com/gpu:NoSchedule`). */
export const tolerationSchema = z.strictObject({
  key: z.string().min(1).optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().min(0).optional(),
});

/** A toleration as the schema accepts it. */
export type Toleration = z.infer<typeof tolerationSchema>;

/** Overrides for one pool (keyed by pool name in `pools`). */
const poolOverrideSchema = z.strictObject({
  /** Replaces the default node selector (`<gpuProductLabel>: <pool>` or `<poolLabel>: <pool>`). */
  nodeSelector: z.record(z.string(), z.string()).optional(),
  /** Added to the cluster-wide tolerations for Jobs in this pool. */
  tolerations: z.array(tolerationSchema).default([]),
  /** The ncg GPU type id of this pool, when the product label does not map to one by itself. */
  gpuType: z.string().min(1).optional(),
});

/** Seconds ncg waits on things that may never resolve, and how it talks to the API server. */
const timeoutsSchema = z.strictObject({
  /** A pod stuck in ErrImagePull/ImagePullBackOff this long fails the job with that reason. */
  imagePullSeconds: z.number().positive().default(300),
  /** Pods unschedulable this long give the job back to ncg (state `preempted`, reason `unschedulable`). */
  unschedulableSeconds: z.number().positive().default(600),
  /** One API request (list, get, create, delete) before it counts as unreachable. */
  requestSeconds: z.number().positive().default(30),
  /** Ask the API server to end each watch after this long (it is re-opened at once from the last version). */
  watchSeconds: z.number().int().positive().default(300),
  /** Upper bound of the reconnect backoff after a watch or list fails. */
  watchBackoffMaxSeconds: z.number().positive().default(30),
  /** How long a Failed Job waits for its pods' exit codes to reach the cache before it is reported without one. */
  exitCodeGraceSeconds: z.number().min(0).default(5),
});

/** Kueue integration: Jobs are created suspended in a LocalQueue and Kueue admits them. */
const kueueSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The LocalQueue name (label `kueue.x-k8s.io/queue-name`), which must exist in every namespace ncg uses. */
  queueName: z.string().min(1).default('ncg'),
});

/**
 * One Kubernetes cluster's settings. The lead's server config embeds this in its `clusters:` list
 * (adding `id`/`kind` there). Either `kubeconfig` or `inCluster: true` is required.
 */
export const kubernetesClusterConfigSchema = z
  .strictObject({
    /** Path of a kubeconfig file. */
    kubeconfig: z.string().min(1).optional(),
    /** Context inside the kubeconfig; default its current-context. */
    context: z.string().min(1).optional(),
    /** Use the pod's service account (ncg runs inside this cluster). */
    inCluster: z.boolean().default(false),
    /** `per-institution`: namespace `<namespacePrefix><institution>` (created on demand); `single`: `namespace`. */
    namespaceMode: z.enum(['per-institution', 'single']).default('single'),
    namespace: z.string().min(1).default('ncg'),
    namespacePrefix: z.string().min(1).default('ncg-'),
    /** Node label that names the GPU product (GPU Feature Discovery sets it). */
    gpuProductLabel: z.string().min(1).default('nvidia.com/gpu.product'),
    /** Extended resource the device plugin advertises. */
    gpuResource: z.string().min(1).default('nvidia.com/gpu'),
    /** Group nodes into pools by this label instead of by GPU product. */
    poolLabel: z.string().min(1).optional(),
    /** GPU product label value → ncg GPU type id, for products the catalogue does not recognise. */
    gpuTypes: z.record(z.string(), z.string().min(1)).default({}),
    pools: z.record(z.string(), poolOverrideSchema).default({}),
    /** Tolerations on every Job's pods. */
    tolerations: z.array(tolerationSchema).default([]),
    /** Pin pods to the nodes the ncg scheduler chose (node affinity on their names); off lets Kubernetes pick. */
    pinNodes: z.boolean().default(true),
    kueue: kueueSchema.prefault({}),
    /** Retries of a failed pod before the Job fails (0: a training job that crashed is not rerun blindly). */
    backoffLimit: z.number().int().min(0).default(0),
    /** Kubernetes deletes finished Jobs after this long (ncg has long since recorded their end). */
    ttlSecondsAfterFinished: z.number().int().min(0).default(86_400),
    /** Image for jobs that name none (a script job). */
    defaultImage: z.string().min(1).default('busybox:1.36'),
    /** Port the rank-0 pod listens on for torch.distributed-style rendezvous (`MASTER_PORT`). */
    masterPort: z.number().int().min(1).max(65535).default(29500),
    timeouts: timeoutsSchema.prefault({}),
  })
  .refine((c) => c.inCluster || c.kubeconfig !== undefined, { message: 'set kubeconfig (a file path) or inCluster: true', path: ['kubeconfig'] });

/** A validated Kubernetes cluster configuration. */
export type KubernetesClusterConfig = z.infer<typeof kubernetesClusterConfigSchema>;

/** What the schema accepts before defaults are applied (handy for tests and the lead's config files). */
export type KubernetesClusterConfigInput = z.input<typeof kubernetesClusterConfigSchema>;
