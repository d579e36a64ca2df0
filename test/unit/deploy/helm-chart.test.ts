/**
 * Checks on the chart that need no helm binary (none can be installed here): every `.Values.…` a template
 * reads exists in values.yaml (a typo there would render empty), the chart carries every object issue 11
 * asks for, and the PrometheusRule's rule files match deploy/prometheus/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { filesUnder, repoRoot } from './load-yaml.js';

const chart = join(repoRoot, 'helm', 'ncg');
const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;
const templates = filesUnder('helm/ncg/templates', ['.yaml', '.tpl', '.txt']).map((f) => ({ file: f, text: readFileSync(join(repoRoot, f), 'utf8') }));

/** Whether a dotted path exists in values.yaml. */
function hasPath(path: string): boolean {
  let node: unknown = values;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

function valuePaths(text: string): string[] {
  return [...text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((m) => m[1]!.replace(/\.$/, ''));
}

describe('helm/ncg templates', () => {
  it('read only values that values.yaml defines', () => {
    const missing = templates.flatMap((t) => valuePaths(t.text).filter((p) => !hasPath(p)).map((p) => `${t.file}: .Values.${p}`));
    expect(missing).toEqual([]);
  });

  it('the value-path check can fail', () => {
    expect(valuePaths('{{ .Values.replicaCount }} {{ .Values.image.tagg }}').filter((p) => !hasPath(p))).toEqual(['image.tagg']);
  });

  it('carry every object of the deployment', () => {
    const kinds = templates.flatMap((t) => [...t.text.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]));
    for (const k of ['Deployment', 'Service', 'Ingress', 'ConfigMap', 'Job', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceMonitor', 'PrometheusRule']) {
      expect(kinds, k).toContain(k);
    }
  });

  it('run migrations as a pre-install,pre-upgrade hook with `ncg migrate`', () => {
    const job = templates.find((t) => t.file.endsWith('migration-job.yaml'))!.text;
    expect(job).toContain('"helm.sh/hook": pre-install,pre-upgrade');
    expect(job).toContain('args: ["migrate"]');
  });

  it('probe /healthz and /readyz and harden the container', () => {
    const dep = templates.find((t) => t.file.endsWith('deployment.yaml'))!.text;
    expect(dep).toMatch(/livenessProbe:\s+httpGet:\s+path: \/healthz/);
    expect(dep).toMatch(/readinessProbe:\s+#[^\n]*\n\s+httpGet:\s+path: \/readyz/);
    const helpers = templates.find((t) => t.file.endsWith('_helpers.tpl'))!.text;
    for (const s of ['runAsNonRoot: true', 'readOnlyRootFilesystem: true', 'allowPrivilegeEscalation: false', 'drop: ["ALL"]']) expect(helpers).toContain(s);
  });

  it('ship the same Prometheus rules as deploy/prometheus/', () => {
    for (const f of ['ncg-recording-rules.yml', 'ncg-alerts.yml']) {
      expect(readFileSync(join(chart, 'files', f), 'utf8'), f).toBe(readFileSync(join(repoRoot, 'deploy', 'prometheus', f), 'utf8'));
    }
  });
});
