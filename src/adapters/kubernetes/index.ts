/**
 * The Kubernetes adapter's public face: the config schema the server embeds in its `clusters:` list and the
 * factory main.ts calls. Everything else in this folder is an implementation detail.
 */
import { kubernetesClusterConfigSchema, type KubernetesClusterConfig, type KubernetesClusterConfigInput } from './config.js';
import { loadKubeClients } from './kube-client.js';
import { KubernetesClusterAdapter, type KubernetesAdapterOptions } from './kubernetes-adapter.js';

export { kubernetesClusterConfigSchema, KubernetesClusterAdapter };
export type { KubernetesClusterConfig, KubernetesClusterConfigInput, KubernetesAdapterOptions };

/**
 * Build the adapter of one cluster. The config is validated (defaults applied) here as well, so a raw
 * object from a file is accepted; a missing kubeconfig file or context throws now, not on first use.
 */
export function createKubernetesAdapter(clusterId: string, config: KubernetesClusterConfigInput | KubernetesClusterConfig, options: KubernetesAdapterOptions = {}): KubernetesClusterAdapter {
  const parsed = kubernetesClusterConfigSchema.parse(config);
  return new KubernetesClusterAdapter(clusterId, parsed, loadKubeClients(parsed), options);
}
