/**
 * Measure one cluster over a span of consecutive windows: three query_range requests (usage, utilisation,
 * coverage) evaluated at every window end, folded into one measurement per window. Pure apart from the
 * HTTP calls; attribution to ncg jobs happens in attribute.ts.
 */
import type { QueryProfile } from './default-queries.js';
import type { PrometheusClient, RangeSeries } from './prometheus-client.js';
import { renderTemplate, type TemplateValues } from './templates.js';
import { windowEndingAt, type Window } from './windows.js';

/** What Prometheus says about one window of one cluster. */
export interface WindowMeasurement {
  window: Window;
  /** Every scrape target of the cluster was fresh and up at every subquery point of the window. */
  complete: boolean;
  /** GPU-seconds per job reference (a job label value, or `namespace/pod` for use no label names). */
  usage: Map<string, number>;
  /** Mean GPU utilisation 0–1 per job reference. */
  efficiency: Map<string, number>;
}

/** One cluster as the meter queries it. */
export interface MeasureTarget {
  clusterId: string;
  client: PrometheusClient;
  profile: QueryProfile;
  values: TemplateValues;
}

/** Window geometry. */
export interface MeasureGeometry {
  stepSeconds: number;
  resolutionSeconds: number;
}

/** Measure every window of `span` (consecutive, aligned). Throws the client's errors. */
export async function measureSpan(target: MeasureTarget, span: readonly Window[], g: MeasureGeometry): Promise<WindowMeasurement[]> {
  const first = span[0];
  const last = span[span.length - 1];
  if (!first || !last) return [];
  const stepMs = g.stepSeconds * 1000;
  const [start, end] = [first.end / 1000, last.end / 1000];
  const run = (template: string) => target.client.queryRange(renderTemplate(template, target.values), start, end, g.stepSeconds);
  const [usage, utilisation, coverage] = await Promise.all([run(target.profile.usage), run(target.profile.utilisation), run(target.profile.coverage)]);

  const byEnd = new Map<number, WindowMeasurement>(span.map((w) => [w.end, { window: w, complete: true, usage: new Map(), efficiency: new Map() }]));
  const at = (t: number) => byEnd.get(windowEndingAt(t, stepMs).end);
  const jobLabel = target.profile.jobLabel;

  for (const s of usage) {
    const ref = refOf(s.metric, jobLabel);
    for (const [t, v] of s.values) {
      const m = at(t);
      const n = Number(v);
      if (m && Number.isFinite(n) && n > 0) m.usage.set(ref, (m.usage.get(ref) ?? 0) + n);
    }
  }
  for (const s of utilisation) {
    const ref = refOf(s.metric, jobLabel);
    for (const [t, v] of s.values) {
      const m = at(t);
      const n = Number(v);
      if (m && Number.isFinite(n)) m.efficiency.set(ref, Math.min(1, Math.max(0, n)));
    }
  }
  markCoverage(byEnd, coverage, stepMs, g.stepSeconds / g.resolutionSeconds);
  for (const m of byEnd.values()) for (const [ref, s] of m.usage) m.usage.set(ref, Math.round(s));
  return [...byEnd.values()];
}

/**
 * A window is complete when at least one target reports it and every target reports all `expected`
 * points. A target absent from a window (no fresh scrape at any point) makes it incomplete too.
 */
function markCoverage(byEnd: Map<number, WindowMeasurement>, coverage: readonly RangeSeries[], stepMs: number, expected: number): void {
  const seen = new Map<number, number>();
  for (const s of coverage) {
    const values = new Map(s.values.map(([t, v]) => [windowEndingAt(t, stepMs).end, Number(v)]));
    for (const [end, m] of byEnd) {
      const n = values.get(end);
      if (n === undefined) {
        // A target that shows up later in the span (or left earlier) did not cover this window.
        if (s.values.length > 0) m.complete = false;
        continue;
      }
      seen.set(end, (seen.get(end) ?? 0) + 1);
      if (!(n >= expected)) m.complete = false;
    }
  }
  for (const [end, m] of byEnd) if (!seen.has(end)) m.complete = false;
}

/** The job reference of a series: its job label, else `namespace/pod`, else its labels. */
export function refOf(metric: Record<string, string>, jobLabel: string): string {
  const job = metric[jobLabel];
  if (job) return job;
  if (metric.namespace && metric.pod) return `${metric.namespace}/${metric.pod}`;
  const rest = Object.entries(metric).filter(([k]) => k !== '__name__');
  return rest.length > 0 ? rest.map(([k, v]) => `${k}=${v}`).sort().join(',') : '(no job label)';
}
