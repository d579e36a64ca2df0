/**
 * Every Kubernetes manifest under deploy/ validates against the official schemas (kubernetes-models), and a
 * broken copy of one does not — so the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { validateK8s, type K8sDoc } from './k8s-models.js';
import { filesUnder, parseYamlFile } from './load-yaml.js';

// Files under deploy/ that are not Kubernetes objects: Prometheus rule/config/test files (checked by promtool
// in CI) and ncg config examples (examples.test.ts). Any other document without apiVersion/kind fails.
const notManifests = [/^deploy\/prometheus\//, /^deploy\/examples\//];

const docs = filesUnder('deploy', ['.yaml', '.yml'])
  .filter((f) => !notManifests.some((re) => re.test(f)))
  .flatMap(parseYamlFile)
  .filter((d) => d.value !== null);

function deploymentCopy(): K8sDoc {
  const d = docs.find((x) => (x.value as K8sDoc).kind === 'Deployment' && x.file === 'deploy/kubernetes/ncg.yaml');
  if (!d) throw new Error('deploy/kubernetes/ncg.yaml has no Deployment');
  return structuredClone(d.value) as K8sDoc;
}

describe('deploy/ Kubernetes manifests', () => {
  it('finds the manifests', () => {
    const kinds = new Set(docs.map((d) => (d.value as K8sDoc).kind));
    for (const k of ['Namespace', 'ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'Job', 'ClusterRole', 'RoleBinding']) {
      expect(kinds, k).toContain(k);
    }
  });

  it.each(docs.map((d) => [`${d.file}#${d.index} ${(d.value as K8sDoc).kind} ${(d.value as K8sDoc).metadata?.name}`, d] as const))('%s validates', (_name, d) => {
    const doc = d.value as K8sDoc;
    expect(typeof doc.apiVersion, 'apiVersion').toBe('string');
    expect(typeof doc.kind, 'kind').toBe('string');
    expect(() => validateK8s(doc)).not.toThrow();
  });

  it('rejects a Deployment whose replicas is not a number', () => {
    const bad = deploymentCopy();
    (bad.spec as Record<string, unknown>).replicas = 'x';
    expect(() => validateK8s(bad)).toThrow(/replicas/);
  });

  it('rejects a container without an image', () => {
    const bad = deploymentCopy();
    const pod = (bad.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    delete pod.containers[0]!.image;
    // The core/v1 schema leaves image optional (a Deployment controller may fill it), so ncg's own rule adds it.
    expect(() => {
      validateK8s(bad);
      for (const c of pod.containers) if (typeof c.image !== 'string') throw new Error(`container ${String(c.name)}: image is required`);
    }).toThrow(/image/);
  });

  it('rejects a container port given as a name', () => {
    const bad = deploymentCopy();
    const pod = (bad.spec as { template: { spec: { containers: { ports: Record<string, unknown>[] }[] } } }).template.spec;
    pod.containers[0]!.ports[0]!.containerPort = 'http';
    expect(() => validateK8s(bad)).toThrow(/containerPort must be integer/);
  });

  it('rejects a kind it has no schema for', () => {
    expect(() => validateK8s({ apiVersion: 'example.com/v1', kind: 'Widget' })).toThrow(/no schema/);
  });
});
