/**
 * A real k3s cluster in Docker (testcontainers' K3s module) for the adapter contract: one server and one
 * agent so the gang case has two nodes. There are no GPUs in a container, so each node advertises
 * `nvidia.com/gpu: 4` as an extended resource (the documented PATCH of node status) and carries the GPU
 * Feature Discovery product label; jobs run busybox sleeping for the contract's durations.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { GenericContainer, Network, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { createKubernetesAdapter } from '../../../src/adapters/kubernetes/index.js';
import type { JobSpec } from '../../../src/domain/types.js';
import type { AdapterHarness, ContractJobShape } from '../../helpers/adapter-contract.js';
import { pollFor } from './fake-harness.js';

const IMAGE = 'rancher/k3s:v1.31.4-k3s1';
const TOKEN = 'ncg-contract-token';
const PRODUCT = 'NVIDIA-L40S';

/** Real-time durations: short enough for a test, long enough to watch a job run. */
export function k3sContractSpec(shape: ContractJobShape): JobSpec {
  const t = { quick: [8, 600], fail: [3, 600], long: [3600, 7200], overrun: [600, 15] }[shape.behaviour] as [number, number];
  return {
    name: `contract-${shape.behaviour}`,
    projectId: 'contract-project',
    gpuTypes: [shape.gpuType],
    nodes: shape.nodes,
    gpusPerNode: shape.gpusPerNode,
    cpusPerNode: 0.1,
    memoryGbPerNode: 0.0625,
    walltimeSeconds: t[1],
    qos: 'normal',
    image: 'busybox:1.36',
    // The adapter passes the sim block on as NCG_SIM_* env; a real container has to act it out.
    command: ['sh', '-c', 'sleep "$NCG_SIM_DURATION_SECONDS"; exit "$NCG_SIM_EXIT_CODE"'],
    sim: { durationSeconds: t[0], exitCode: shape.behaviour === 'fail' ? (shape.exitCode ?? 1) : 0 },
  };
}

/** A k3s agent, configured like the K3s module configures its server (privileged, host cgroup namespace). */
class K3sAgentContainer extends GenericContainer {
  constructor() {
    super(IMAGE);
    // The dockerode types lag the Engine API here; the K3s module sets the same field.
    (this.hostConfig as { CgroupnsMode?: string }).CgroupnsMode = 'host';
    this.withPrivilegedMode()
      .withBindMounts([{ source: '/sys/fs/cgroup', target: '/sys/fs/cgroup' }])
      .withTmpFs({ '/run': 'rw', '/var/run': 'rw' })
      .withEnvironment({ K3S_URL: 'https://k3s-server:6443', K3S_TOKEN: TOKEN })
      .withCommand(['agent']);
  }
}

/** A two-node k3s cluster dressed up as a GPU pool. */
export class K3sCluster {
  private network!: StartedNetwork;
  private server!: StartedK3sContainer;
  private agent!: StartedTestContainer;
  private dir = '';
  kubeconfigPath = '';

  /** Start server and agent, wait for both nodes, fake their GPUs, create the `ncg` namespace. */
  async start(): Promise<void> {
    this.network = await new Network().start();
    this.server = await new K3sContainer(IMAGE).withNetwork(this.network).withNetworkAliases('k3s-server').withEnvironment({ K3S_TOKEN: TOKEN }).start();
    this.agent = await new K3sAgentContainer().withNetwork(this.network).start();
    this.dir = await mkdtemp(join(tmpdir(), 'ncg-k3s-'));
    this.kubeconfigPath = join(this.dir, 'kubeconfig.yaml');
    await writeFile(this.kubeconfigPath, this.server.getKubeConfig());
    const kc = new KubeConfig();
    kc.loadFromFile(this.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const ready = await pollFor(async () => {
      const nodes = (await core.listNode()).items;
      const up = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return up.length >= 2 ? up : undefined;
    }, 'two Ready k3s nodes', 180_000);
    for (const node of ready) {
      const name = node.metadata!.name!;
      await core.patchNodeStatus({ name, body: [{ op: 'add', path: '/status/capacity/nvidia.com~1gpu', value: '4' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
      await core.patchNode({ name, body: [{ op: 'add', path: '/metadata/labels/nvidia.com~1gpu.product', value: PRODUCT }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    }
    await core.createNamespace({ body: { metadata: { name: 'ncg' } } });
  }

  /** A contract harness with a fresh adapter on the shared cluster. */
  harness(): AdapterHarness {
    const adapter = createKubernetesAdapter('k3s', { kubeconfig: this.kubeconfigPath, timeouts: { exitCodeGraceSeconds: 5 } });
    return {
      adapter,
      jobSpec: k3sContractSpec,
      expectedPools: [{ name: PRODUCT, gpuType: 'l40s', nodes: 2, gpusPerNode: 4 }],
      waitFor: (probe, what) => pollFor(probe, what, 180_000),
      close: () => adapter.close(),
    };
  }

  /** Stop everything. */
  async stop(): Promise<void> {
    await this.agent?.stop();
    await this.server?.stop();
    await this.network?.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
