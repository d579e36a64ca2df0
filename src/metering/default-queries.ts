/**
 * The PromQL the meter runs per cluster and window, by profile. Each is a template (see templates.ts for
 * the `$placeholders`) evaluated by query_range at every window end with step = window, so one request
 * answers a whole span of windows.
 *
 * Rules every query follows:
 *   - gauges are integrated with `sum_over_time(<gauge>[$range:$res]) * $resSeconds`, never `increase()`;
 *     `$range` is the window minus 1 ms, so each subquery point belongs to exactly one window (ws, we];
 *   - a sample counts only if it is fresh (`timestamp(x) > time() - $fresh`): after a Prometheus restart
 *     there are no staleness markers, and lookback would otherwise stretch a vanished series by 5 minutes;
 *     `timestamp()` is applied to plain selectors only (on computed vectors it returns evaluation time);
 *   - `coverage` counts, per scrape target of the cluster, the subquery points with a fresh successful
 *     scrape; a window is measured only if every target covers every point, else its estimates stand.
 */

/** The queries of one profile. */
export interface QueryProfile {
  /** Label carrying the job reference in `usage` and `utilisation` results. */
  jobLabel: string;
  /** GPU-seconds per job (series labelled by `jobLabel`; other labels name unattributed use). */
  usage: string;
  /** Mean GPU utilisation 0–1 per job. */
  utilisation: string;
  /** Fresh successful scrapes per target of the cluster, per window. */
  coverage: string;
}

const coverage = `count_over_time(((timestamp(up{$selector}) > time() - $fresh) and up{$selector} == 1)[$range:$res])`;

/** Slurm (and Slurm-style sim clusters): dcgm-exporter's HPC job mapping puts the job id in `hpc_job`. */
export const SLURM_PROFILE: QueryProfile = {
  jobLabel: 'hpc_job',
  usage: `sum_over_time((count by ($jobLabel) (timestamp(DCGM_FI_DEV_FB_USED{$selector, $jobLabel!=""}) > time() - $fresh))[$range:$res]) * $resSeconds`,
  utilisation: `avg by ($jobLabel) (avg_over_time((
      (DCGM_FI_PROF_GR_ENGINE_ACTIVE{$selector, $jobLabel!=""} and (timestamp(DCGM_FI_PROF_GR_ENGINE_ACTIVE{$selector, $jobLabel!=""}) > time() - $fresh))
    or (DCGM_FI_DEV_GPU_UTIL{$selector, $jobLabel!=""} / 100 and (timestamp(DCGM_FI_DEV_GPU_UTIL{$selector, $jobLabel!=""}) > time() - $fresh))
  )[$range:$res]))`,
  coverage,
};

/**
 * Kubernetes (and Kubernetes-style sim clusters): GPUs a pod requests (kube-state-metrics), while the pod
 * is Running, attributed through the pod label `ncg.io/job-id` (exposed by kube-state-metrics as
 * `label_ncg_io_job_id` with `--metric-labels-allowlist=pods=[ncg.io/job-id]`). Kept by pod, so GPU use of
 * pods without the label can be reported as `namespace/pod`.
 */
export const KUBERNETES_PROFILE: QueryProfile = {
  jobLabel: 'label_ncg_io_job_id',
  usage: `sum_over_time((
      sum by (namespace, pod) (kube_pod_container_resource_requests{$selector, resource="nvidia_com_gpu"})
    * on (namespace, pod) group_left ()
      group by (namespace, pod) ((timestamp(kube_pod_status_phase{$selector, phase="Running"}) > time() - $fresh) and kube_pod_status_phase{$selector, phase="Running"} == 1)
    * on (namespace, pod) group_left ($jobLabel)
      group by (namespace, pod, $jobLabel) (kube_pod_labels{$selector})
  )[$range:$res]) * $resSeconds`,
  utilisation: `avg by ($jobLabel) (avg_over_time((
      (  (DCGM_FI_PROF_GR_ENGINE_ACTIVE{$selector, pod!=""} and (timestamp(DCGM_FI_PROF_GR_ENGINE_ACTIVE{$selector, pod!=""}) > time() - $fresh))
      or (DCGM_FI_DEV_GPU_UTIL{$selector, pod!=""} / 100 and (timestamp(DCGM_FI_DEV_GPU_UTIL{$selector, pod!=""}) > time() - $fresh)))
    * on (namespace, pod) group_left ($jobLabel) group by (namespace, pod, $jobLabel) (kube_pod_labels{$selector})
  )[$range:$res]))`,
  coverage,
};

/** The profiles every configuration starts with. */
export const DEFAULT_PROFILES: Readonly<Record<string, QueryProfile>> = { slurm: SLURM_PROFILE, kubernetes: KUBERNETES_PROFILE };
