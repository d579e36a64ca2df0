/** The Grafana dashboard parses and queries only metrics ncg exports (src/observability/). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, repoRoot } from './load-yaml.js';

interface Panel { title: string; targets?: { expr: string }[] }

const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/ncg-dashboard.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: { definition?: string }[] };
};

/** Metric names registered in the code: `name: 'ncg_…'` in a prom-client constructor. */
function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const f of filesUnder('src/observability', ['.ts'])) {
    for (const m of readFileSync(join(repoRoot, f), 'utf8').matchAll(/name:\s*'(ncg_[a-z0-9_]+)'/g)) names.add(m[1]!);
  }
  return names;
}

/** ncg_ metric names a PromQL expression uses; histogram series map back to their metric. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/(?<![a-z0-9_:])ncg_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

describe('deploy/grafana/ncg-dashboard.json', () => {
  const exported = exportedMetrics();
  const exprs = [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
    ...dashboard.templating.list.flatMap((v) => (v.definition ? [v.definition] : [])),
  ];

  it('finds the metrics the code exports', () => {
    expect(exported).toContain('ncg_metered_gpu_seconds_total');
    expect(exported).toContain('ncg_jobs_pending');
  });

  it('has panels for GPU-hours, utilisation, queue depth and waits', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const w of ['gpu-hours', 'utilisation', 'queue depth', 'wait']) expect(titles).toContain(w);
  });

  it('references only exported metric names', () => {
    const used = exprs.flatMap(metricsIn);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((m) => !exported.has(m))).toEqual([]);
  });

  it('would catch an unknown metric', () => {
    expect(metricsIn('rate(ncg_no_such_metric_total[5m])').filter((m) => !exported.has(m))).toEqual(['ncg_no_such_metric_total']);
  });
});
