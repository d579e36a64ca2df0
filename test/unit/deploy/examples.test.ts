/** The cluster examples in deploy/examples load through the real configuration loader and schema. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { parseYamlFile, repoRoot } from './load-yaml.js';

const example = (name: string) => join(repoRoot, 'deploy', 'examples', name);

function tempFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ncg-deploy-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

describe('deploy/examples', () => {
  it('slurm-cluster.yaml is a valid Slurm cluster entry', () => {
    const c = loadConfig({ configFile: example('slurm-cluster.yaml') });
    expect(c.clusters.map((x) => x.kind)).toEqual(['slurm']);
    const s = c.clusters[0]!;
    if (s.kind !== 'slurm') throw new Error('expected slurm');
    expect(s.slurm.auth).toMatchObject({ jwtKeyFile: '/etc/ncg/secrets/slurm/coe-isb-hpc.key' });
  });

  it('kubernetes-cluster.yaml holds a kubeconfig entry and an in-cluster entry', () => {
    const c = loadConfig({ configFile: example('kubernetes-cluster.yaml') });
    const k = c.clusters.map((x) => (x.kind === 'kubernetes' ? x.kubernetes : undefined));
    expect(k[0]?.kubeconfig).toBe('/etc/ncg/secrets/kubeconfigs/lahore-coe.kubeconfig');
    expect(k[1]?.inCluster).toBe(true);
  });

  it('a misspelt key in a copy of an example fails, so the checks above can fail', () => {
    const text = readFileSync(example('slurm-cluster.yaml'), 'utf8').replace('pollIntervalSeconds', 'pollIntervalSecs');
    expect(() => loadConfig({ configFile: tempFile(text) })).toThrow(/pollIntervalSecs: unknown key/);
  });

  it('the ConfigMap in deploy/kubernetes/ncg.yaml holds a valid config', () => {
    const cm = parseYamlFile('deploy/kubernetes/ncg.yaml')
      .map((d) => d.value as { kind?: string; data?: Record<string, string> })
      .find((d) => d.kind === 'ConfigMap');
    expect(loadConfig({ configFile: tempFile(cm!.data!['config.yaml']!) }).dataDir).toBe('/var/lib/ncg');
  });
});
