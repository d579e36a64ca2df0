/** The Kubernetes cluster config schema: defaults, strict keys, one of kubeconfig / inCluster. */
import { describe, expect, it } from 'vitest';
import { kubernetesClusterConfigSchema } from '../../../src/adapters/kubernetes/config.js';

describe('kubernetesClusterConfigSchema', () => {
  it('fills defaults', () => {
    const c = kubernetesClusterConfigSchema.parse({ kubeconfig: '/etc/ncg/kubeconfig' });
    expect(c).toMatchObject({
      inCluster: false,
      namespaceMode: 'single',
      namespace: 'ncg',
      gpuProductLabel: 'nvidia.com/gpu.product',
      gpuResource: 'nvidia.com/gpu',
      pinNodes: true,
      backoffLimit: 0,
      kueue: { enabled: false, queueName: 'ncg' },
      timeouts: { imagePullSeconds: 300, unschedulableSeconds: 600, requestSeconds: 30 },
    });
  });

  it('accepts in-cluster without a kubeconfig', () => {
    expect(kubernetesClusterConfigSchema.parse({ inCluster: true }).inCluster).toBe(true);
  });

  it('rejects a config with neither kubeconfig nor inCluster', () => {
    expect(() => kubernetesClusterConfigSchema.parse({})).toThrow(/kubeconfig/);
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => kubernetesClusterConfigSchema.parse({ inCluster: true, namespce: 'x' })).toThrow(/namespce/);
    expect(() => kubernetesClusterConfigSchema.parse({ inCluster: true, kueue: { enabled: true, queue: 'x' } })).toThrow(/queue/);
  });

  it('rejects a bad toleration operator', () => {
    expect(() => kubernetesClusterConfigSchema.parse({ inCluster: true, tolerations: [{ key: 'a', operator: 'Maybe' }] })).toThrow();
  });
});
