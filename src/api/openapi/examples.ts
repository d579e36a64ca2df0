/**
 * Example bodies for the document and the reference page. A test parses each with its schema, so an
 * example cannot drift from what the server really sends.
 */

/** A submission (POST /v1/jobs). */
export const submitExample = {
  name: 'resnet50-baseline',
  project: 'nust-p1',
  gpuType: 'h100-80gb',
  nodes: 1,
  gpusPerNode: 4,
  walltime: '6h',
  qos: 'normal',
  image: 'nvcr.io/nvidia/pytorch:24.05-py3',
  command: ['torchrun', '--nproc-per-node=4', 'train.py'],
  env: { EPOCHS: '90' },
};

/** A queued job as POST /v1/jobs answers. */
export const jobExample = {
  id: 'j-01JZ7Q8D6S4M3N2P1R0T9V8W7X',
  name: 'resnet50-baseline',
  state: 'queued',
  institution: 'nust',
  project: 'nust-p1',
  user: 'nust-r1',
  spec: {
    gpuTypes: ['h100-80gb'],
    nodes: 1,
    gpusPerNode: 4,
    cpusPerNode: 8,
    memoryGbPerNode: 32,
    walltimeSeconds: 21600,
    qos: 'normal',
    image: 'nvcr.io/nvidia/pytorch:24.05-py3',
    command: ['torchrun', '--nproc-per-node=4', 'train.py'],
    env: { EPOCHS: '90' },
  },
  submittedAt: '2026-10-05T09:30:00.000Z',
  borrowed: false,
  pending: { reason: 'NotYetScheduled', message: 'submitted; the scheduler has not looked at it yet (a cycle runs after each submission)', seenByCycle: false },
};

const pendingResources = {
  reason: 'Resources',
  message: 'waiting for resources: no pool has 1 node(s) × 4 GPU(s) of h100-80gb free now; it starts when running jobs end',
  position: 3,
  estimatedStart: '2026-10-05T11:00:00.000Z',
  priority: 7311.5,
  factors: { fairshare: 0.62, age: 0.04, qos: 0.5, size: 0.01 },
  seenByCycle: true,
};

/** A pending job with its history (GET /v1/jobs/{id}). */
export const jobDetailExample = {
  ...jobExample,
  reason: 'Resources',
  pending: pendingResources,
  events: [{ id: 41, to: 'queued', at: '2026-10-05T09:30:00.000Z', reason: 'submitted', data: {} }],
};

const { pending: _pending, ...finished } = jobExample;

/** A cancelled job (DELETE /v1/jobs/{id}). */
export const cancelledExample = { ...finished, state: 'cancelled', endedAt: '2026-10-05T09:41:12.000Z', reason: 'cancelled' };

/** The queue (GET /v1/queue). */
export const queueExample = {
  total: 1,
  items: [
    {
      id: jobExample.id,
      name: jobExample.name,
      state: 'queued',
      institution: 'nust',
      project: 'nust-p1',
      user: 'nust-r1',
      qos: 'normal',
      gpuTypes: ['h100-80gb'],
      nodes: 1,
      gpusPerNode: 4,
      submittedAt: jobExample.submittedAt,
      pending: pendingResources,
    },
  ],
};

/** A 422 for a request no pool can hold. */
export const unprocessableExample = {
  error: {
    code: 'unprocessable',
    message: 'no pool has 16 GPUs per node of any type; the largest nodes have 8 (h100-80gb at coe-islamabad)',
    details: { unsatisfiable: true, field: 'gpusPerNode', maxGpusPerNode: 8 },
  },
};

/** A 400 naming every bad field. */
export const invalidExample = {
  error: {
    code: 'invalid',
    message: 'job submission is not valid — walltime: required; gpusPerNode: Too big: expected number to be <=64',
    details: {
      issues: [
        { path: 'walltime', message: 'required' },
        { path: 'gpusPerNode', message: 'Too big: expected number to be <=64' },
      ],
    },
  },
};
