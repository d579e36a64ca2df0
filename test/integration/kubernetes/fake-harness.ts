/**
 * Harness for the adapter contract (and the Kubernetes-specific tests) over the in-process API server
 * fake: a small GPU cluster, the adapter built from the fake's generated kubeconfig exactly as the server
 * builds it from a real one, and a wait that polls in real time while the fake clock runs fast.
 */
import { createKubernetesAdapter, type KubernetesClusterAdapter, type KubernetesClusterConfigInput } from '../../../src/adapters/kubernetes/index.js';
import type { ClusterAdapter, ExternalJobState, ExternalJobStatus, SubmitRequest } from '../../../src/adapters/port.js';
import type { AdapterHarness, ExpectedPool } from '../../helpers/adapter-contract.js';
import { FakeKubernetes, type FakeClusterOptions } from '../../helpers/k8s-fake/fake-cluster.js';
import type { FakeNodeSpec } from '../../helpers/k8s-fake/nodes.js';
import { simContractSpec } from '../adapters/sim-harness.js';

/** Three H100 nodes, two L40S nodes and a CPU-only node (which no pool should list). */
export const FAKE_NODES: FakeNodeSpec[] = [
  ...[1, 2, 3].map((i) => ({ name: `gpu-h100-${i}`, gpus: 8, product: 'NVIDIA-H100-80GB-HBM3' })),
  ...[1, 2].map((i) => ({ name: `gpu-l40s-${i}`, gpus: 4, product: 'NVIDIA-L40S' })),
  { name: 'cpu-1', gpus: 0 },
];

/** What inventory must report for FAKE_NODES: pools named by GFD product, typed by the GPU catalogue. */
export const FAKE_POOLS: ExpectedPool[] = [
  { name: 'NVIDIA-H100-80GB-HBM3', gpuType: 'h100-80gb', nodes: 3, gpusPerNode: 8 },
  { name: 'NVIDIA-L40S', gpuType: 'l40s', nodes: 2, gpusPerNode: 4 },
];

/** Poll `probe` every 10 ms of real time for up to `limitMs`. */
export async function pollFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out (${limitMs} ms real) waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A fake cluster plus an adapter on it. */
export interface FakeSetup {
  fake: FakeKubernetes;
  adapter: KubernetesClusterAdapter;
  close(): Promise<void>;
}

/** Start a fake and an adapter; config overrides are merged over the test defaults. */
export async function startFakeSetup(opts: { fake?: FakeClusterOptions; config?: Partial<KubernetesClusterConfigInput>; now?: () => number } = {}): Promise<FakeSetup> {
  const fake = await FakeKubernetes.start({ nodes: FAKE_NODES, speed: 100, ...opts.fake });
  const adapter = createKubernetesAdapter(
    'k8s-test',
    {
      kubeconfig: fake.kubeconfigPath,
      context: 'fake',
      ...opts.config,
      // Short timeouts and backoff so recovery shows within a test; request timeouts stay generous.
      timeouts: { requestSeconds: 5, watchBackoffMaxSeconds: 0.5, exitCodeGraceSeconds: 2, ...opts.config?.timeouts },
    },
    { retryDelayMs: 20, ...(opts.now ? { now: opts.now } : {}) },
  );
  return {
    fake,
    adapter,
    async close() {
      await adapter.close();
      await fake.close();
    },
  };
}

/** The contract harness at `speed` fake seconds per real second. */
export async function fakeContractHarness(speed = 100): Promise<AdapterHarness> {
  const setup = await startFakeSetup({ fake: { speed } });
  return {
    adapter: setup.adapter,
    jobSpec: simContractSpec,
    expectedPools: FAKE_POOLS,
    waitFor: (probe, what) => pollFor(probe, what),
    close: () => setup.close(),
  };
}

/** What a test job should look like on the fake. */
export interface FakeJobOptions {
  jobId?: string;
  institutionId?: string;
  nodes?: string[];
  gpusPerNode?: number;
  /** Fake seconds the pods run. */
  durationSeconds?: number;
  exitCode?: number;
  walltimeSeconds?: number;
  image?: string;
  poolName?: string;
}

/** A submit request for the fake's H100 pool (one node, one GPU, 30 fake seconds by default). */
export function fakeRequest(key: string, o: FakeJobOptions = {}): SubmitRequest {
  const nodes = o.nodes ?? ['gpu-h100-1'];
  return {
    idempotencyKey: key,
    jobId: o.jobId ?? `job-${key}`,
    institutionId: o.institutionId ?? 'nust',
    projectId: 'p-1',
    userId: 'u-1',
    poolName: o.poolName ?? 'NVIDIA-H100-80GB-HBM3',
    nodeNames: nodes,
    spec: {
      name: 'test',
      projectId: 'p-1',
      gpuTypes: ['h100-80gb'],
      nodes: nodes.length,
      gpusPerNode: o.gpusPerNode ?? 1,
      cpusPerNode: 4,
      memoryGbPerNode: 16,
      walltimeSeconds: o.walltimeSeconds ?? 3600,
      qos: 'normal',
      ...(o.image ? { image: o.image } : {}),
      sim: { durationSeconds: o.durationSeconds ?? 30, exitCode: o.exitCode ?? 0 },
    },
  };
}

/** Wait until the adapter reports one of `states` for `key`. */
export function stateOf(adapter: ClusterAdapter, key: string, states: ExternalJobState[], limitMs = 10_000): Promise<ExternalJobStatus> {
  return pollFor(async () => {
    const [s] = await adapter.status([key]);
    return s && states.includes(s.state) ? s : undefined;
  }, `${key} to reach ${states.join('/')}`, limitMs);
}
