/**
 * Deterministic metric history for back-fill tests: 30 minutes of dcgm-exporter and kube-state-metrics
 * samples every 15 s (on 15 s ticks of a minute-aligned start), as OpenMetrics with explicit timestamps
 * for `promtool tsdb create-blocks-from openmetrics`. A job "holds" its GPUs at the ticks in [start, end).
 * With the meter's default geometry (60 s windows, 15 s resolution) and a 15 s freshness limit, a tick t
 * counts in the window (ws, ws + 60] that contains it, for 15 s × GPUs: `expectedByWindow` computes that.
 */
import type { MeteringGrid } from './metering-grid.js';

/** Seconds between samples. */
export const TICK = 15;
/** Length of the history, seconds. */
export const HISTORY_SECONDS = 1800;

interface Series {
  name: string;
  labels: Record<string, string>;
  /** Value at tick offset `s` (seconds from the start), or undefined for no sample. */
  at(s: number): number | undefined;
}

/** A job (or stray use) in the history: GPUs on a cluster between two offsets. */
export interface HistJob {
  /** The job label value (`hpc_job`, or `label_ncg_io_job_id`; '' for a pod without the label). */
  ref: string;
  cluster: 'slurm' | 'k8s';
  gpus: { host: string; gpu: number }[];
  from: number;
  to: number;
  utilPct: number;
  /** Slurm: also expose DCGM_FI_PROF_GR_ENGINE_ACTIVE (0–1). */
  profActive?: number;
  /** Kubernetes: the pod (namespace `ncg`). */
  pod?: string;
}

const held = (j: HistJob, s: number) => s >= j.from && s < j.to;

/** Every series of the history. `gapK8s` lists offsets where the Kubernetes cluster was not scraped. */
export function historySeries(grid: MeteringGrid, jobs: readonly HistJob[], gapK8s: (s: number) => boolean): Series[] {
  const out: Series[] = [];
  const clusterOf = (c: 'slurm' | 'k8s') => (c === 'slurm' ? grid.slurm : grid.k8s);
  const scraped = (c: 'slurm' | 'k8s') => (s: number) => (c === 'k8s' && gapK8s(s) ? undefined : 1);
  for (const c of ['slurm', 'k8s'] as const) {
    out.push({ name: 'up', labels: { job: 'dcgm', instance: `hist-${c}`, ncg_cluster: clusterOf(c) }, at: scraped(c) });
    for (const host of [`${c}-n1`, `${c}-n2`]) {
      for (let gpu = 0; gpu < 4; gpu++) {
        const base = { gpu: String(gpu), UUID: `GPU-${c}-${host}-${gpu}`, Hostname: host, ncg_cluster: clusterOf(c), job: 'dcgm', instance: `hist-${c}` };
        const mine = jobs.filter((j) => j.cluster === c && j.gpus.some((g) => g.host === host && g.gpu === gpu));
        // A GPU's series carries the job label only while held: one series per holder, and one while idle.
        const jobLabels = (j: HistJob): Record<string, string> => (c === 'slurm' ? { hpc_job: j.ref } : { pod: j.pod!, namespace: 'ncg', container: 'main' });
        const phases: { j: HistJob | undefined; labels: Record<string, string> }[] = [...mine.map((j) => ({ j, labels: jobLabels(j) })), { j: undefined, labels: {} }];
        for (const { j, labels } of phases) {
          const on = (s: number) => (j ? held(j, s) : !mine.some((m) => held(m, s)));
          const gate = (v: number) => (s: number) => (scraped(c)(s) && on(s) ? v : undefined);
          out.push({ name: 'DCGM_FI_DEV_GPU_UTIL', labels: { ...base, ...labels }, at: gate(j?.utilPct ?? 0) });
          out.push({ name: 'DCGM_FI_DEV_FB_USED', labels: { ...base, ...labels }, at: gate(j ? 30_000 : 0) });
          if (j?.profActive !== undefined) out.push({ name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', labels: { ...base, ...labels }, at: gate(j.profActive) });
        }
      }
    }
  }
  for (const j of jobs.filter((x) => x.cluster === 'k8s')) {
    const pod = { namespace: 'ncg', pod: j.pod!, ncg_cluster: grid.k8s, job: 'ksm', instance: 'hist-k8s' };
    // Pods stay listed after they finish (phase Succeeded) until well after the history, as Job pods do.
    const listed = (s: number) => (!gapK8s(s) && s >= j.from ? 1 : undefined);
    out.push({ name: 'kube_pod_container_resource_requests', labels: { ...pod, container: 'main', resource: 'nvidia_com_gpu', unit: 'integer' }, at: (s) => (listed(s) ? j.gpus.length : undefined) });
    out.push({ name: 'kube_pod_status_phase', labels: { ...pod, phase: 'Running' }, at: (s) => (listed(s) ? (held(j, s) ? 1 : 0) : undefined) });
    out.push({ name: 'kube_pod_status_phase', labels: { ...pod, phase: 'Succeeded' }, at: (s) => (listed(s) ? (held(j, s) ? 0 : 1) : undefined) });
    out.push({ name: 'kube_pod_labels', labels: { ...pod, ...(j.ref ? { label_ncg_io_job_id: j.ref } : {}) }, at: listed });
  }
  return out;
}

/** The history as OpenMetrics text: families contiguous, samples in time order, `# EOF` at the end. */
export function renderOpenMetrics(series: readonly Series[], startSeconds: number): string {
  const lines: string[] = [];
  const names = [...new Set(series.map((s) => s.name))];
  for (const name of names) {
    lines.push(`# TYPE ${name} gauge`);
    for (const s of series.filter((x) => x.name === name)) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',');
      for (let t = 0; t <= HISTORY_SECONDS; t += TICK) {
        const v = s.at(t);
        if (v !== undefined) lines.push(`${name}{${labels}} ${v} ${startSeconds + t}`);
      }
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

/** GPU-seconds of `job` per window end offset, by the tick rule (tick t counts in the window (ws, ws+60]). */
export function expectedByWindow(job: HistJob, exclude: (windowEnd: number) => boolean = () => false): Map<number, number> {
  const out = new Map<number, number>();
  for (let t = 0; t <= HISTORY_SECONDS; t += TICK) {
    if (!held(job, t)) continue;
    const end = Math.ceil(t / 60) * 60;
    if (end === 0 || exclude(end)) continue;
    out.set(end, (out.get(end) ?? 0) + TICK * job.gpus.length);
  }
  return out;
}

/** Sum of a map's values. */
export function total(m: ReadonlyMap<number, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}
