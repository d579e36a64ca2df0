/**
 * Every manifest ncg generates must pass the official Kubernetes OpenAPI schemas (kubernetes-models), and
 * the check must be able to fail: a Job made invalid is rejected with a path to the bad field.
 */
import { Job } from 'kubernetes-models/batch/v1';
import { Namespace, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { buildJob, buildNamespace, buildService } from '../../../src/adapters/kubernetes/manifests.js';
import { testConfig, testRequest } from './fixtures.js';

const variants = {
  'single node, defaults': { req: testRequest(1, 8), config: testConfig() },
  'four nodes, tolerations, per-institution namespace': {
    req: testRequest(4, 8),
    config: testConfig({ namespaceMode: 'per-institution', tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }),
  },
  'kueue, pool override, script job, fractional cpu and memory': {
    req: testRequest(2, 2, { image: undefined, command: undefined, script: 'python train.py', cpusPerNode: 3.5, memoryGbPerNode: 0.5, env: { HF_HOME: '/cache', RANK: 'user-cannot-override' } }),
    config: testConfig({ kueue: { enabled: true, queueName: 'nust-gpu' }, pools: { 'NVIDIA-H100-80GB-HBM3': { nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-h100-80gb' }, tolerations: [{ key: 'dedicated', value: 'ai', effect: 'NoExecute', operator: 'Equal' }] } } }),
  },
  'CPU-only job with a sim block, unpinned, odd ids': {
    req: testRequest(1, 0, { sim: { durationSeconds: 60, exitCode: 3 }, walltimeSeconds: 0.5 }, { jobId: 'Job_With.Odd/Chars and a very long tail that will not fit a DNS label at all', institutionId: 'UET Lahore' }),
    config: testConfig({ pinNodes: false }),
  },
};

describe('generated manifests validate against the Kubernetes OpenAPI schemas', () => {
  for (const [name, { req, config }] of Object.entries(variants)) {
    it(`Job: ${name}`, () => {
      const job = buildJob(req, 'ncg', config);
      expect(() => new Job(job as never).validate()).not.toThrow();
    });
    it(`Service and Namespace: ${name}`, () => {
      expect(() => new Service(buildService(req, 'ncg', config, { uid: '5f0c0a5e-1f7e-4a48-9d38-0c1f7e1a2b3c' }) as never).validate()).not.toThrow();
      expect(() => new Namespace(buildNamespace('ncg-uet-lahore', req.institutionId) as never).validate()).not.toThrow();
    });
  }
});

describe('an invalid Job fails validation (the check can fail)', () => {
  it('a bad restartPolicy is rejected, naming the field', () => {
    const job = buildJob(testRequest(2, 8), 'ncg', testConfig());
    job.spec!.template.spec!.restartPolicy = 'Sometimes';
    expect(() => new Job(job as never).validate()).toThrow(/spec\/template\/spec\/restartPolicy must be equal to one of the allowed values/);
  });

  it('a non-integer parallelism is rejected, naming the field', () => {
    const job = buildJob(testRequest(2, 8), 'ncg', testConfig());
    job.spec!.parallelism = 1.5;
    expect(() => new Job(job as never).validate()).toThrow(/spec\/parallelism must be integer/);
  });

  it('an unknown completionMode is rejected', () => {
    const job = buildJob(testRequest(2, 8), 'ncg', testConfig());
    job.spec!.completionMode = 'Gang';
    expect(() => new Job(job as never).validate()).toThrow(/completionMode/);
  });
});

describe('the Job carries what the issue asks for', () => {
  it('Indexed, N completions in parallel, GPUs/CPU/memory per pod, no restarts, walltime as deadline', () => {
    const job = buildJob(testRequest(4, 8, { walltimeSeconds: 5400.2 }), 'ncg', testConfig());
    expect(job.metadata).toMatchObject({ name: 'ncg-j-000123', namespace: 'ncg' });
    expect(job.metadata!.annotations!['ncg.io/idempotency-key']).toBe('dispatch-7f3a-1');
    expect(job.metadata!.labels).toMatchObject({ 'ncg.io/job-id': 'j-000123', 'ncg.io/institution': 'nust', 'ncg.io/project': 'llm-urdu' });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0, activeDeadlineSeconds: 5401, suspend: false });
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
    expect(pod.subdomain).toBe('ncg-j-000123');
    const c = pod.containers[0]!;
    expect(c.resources!.limits).toEqual({ 'nvidia.com/gpu': '8', cpu: '16', memory: '131072Mi' });
    expect(c.resources!.requests).toEqual(c.resources!.limits);
    const env = Object.fromEntries(c.env!.map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));
    expect(env).toMatchObject({ WORLD_SIZE: '4', MASTER_ADDR: 'ncg-j-000123-0.ncg-j-000123', RANK: "metadata.annotations['batch.kubernetes.io/job-completion-index']" });
    expect(pod.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]!.matchFields![0]!.values).toEqual(['gpu-h100-1', 'gpu-h100-2', 'gpu-h100-3', 'gpu-h100-4']);
    expect(pod.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!.topologyKey).toBe('kubernetes.io/hostname');
  });

  it('Kueue mode creates the Job suspended in the configured LocalQueue', () => {
    const job = buildJob(testRequest(1, 1), 'ncg', testConfig({ kueue: { enabled: true, queueName: 'nust-gpu' } }));
    expect(job.spec!.suspend).toBe(true);
    expect(job.metadata!.labels!['kueue.x-k8s.io/queue-name']).toBe('nust-gpu');
    expect(job.spec!.template.metadata!.labels!['kueue.x-k8s.io/queue-name']).toBeUndefined();
  });

  it('a user env var cannot override the rank ncg assigns', () => {
    const job = buildJob(testRequest(2, 1, { env: { RANK: '7', HF_HOME: '/cache' } }), 'ncg', testConfig());
    const env = job.spec!.template.spec!.containers[0]!.env!;
    expect(env.filter((e) => e.name === 'RANK')).toHaveLength(1);
    expect(env.find((e) => e.name === 'HF_HOME')!.value).toBe('/cache');
  });

  it('the sim block travels as an annotation and env a real cluster ignores', () => {
    const job = buildJob(testRequest(1, 1, { sim: { durationSeconds: 90, exitCode: 2 } }), 'ncg', testConfig());
    expect(JSON.parse(job.spec!.template.metadata!.annotations!['ncg.io/sim']!)).toEqual({ durationSeconds: 90, exitCode: 2 });
    const env = job.spec!.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === 'NCG_SIM_DURATION_SECONDS')!.value).toBe('90');
  });

  it('the Service is headless, owned by the Job and selects its pods', () => {
    const svc = buildService(testRequest(2, 8), 'ncg', testConfig(), { uid: 'u-1' });
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'ncg.io/job-id': 'j-000123' } });
    expect(svc.metadata!.ownerReferences![0]).toMatchObject({ kind: 'Job', name: 'ncg-j-000123', uid: 'u-1' });
  });
});
