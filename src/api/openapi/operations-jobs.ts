/** The job endpoints as documented: bodies are the schemas routes/jobs.ts validates with and answers with. */
import { jobSubmitSchema } from '../schemas/job-submit.js';
import { jobPageSchema, jobViewSchema, queueViewSchema } from '../schemas/job-view.js';
import { errorBodySchema } from '../schemas/common.js';
import { cancelledExample, invalidExample, jobDetailExample, jobExample, queueExample, submitExample, unprocessableExample } from './examples.js';
import { pageParamDocs, scopeParamDocs, type OperationDoc, type ParamDoc } from './operation.js';

const idParam: ParamDoc = { name: 'id', in: 'path', required: true, description: 'Job id.', schema: { type: 'string' }, example: jobExample.id };
const location = { Location: { description: 'URL of the job: /v1/jobs/{id}.', schema: { type: 'string' } } };

/** Documentation of POST/GET /v1/jobs, GET/DELETE /v1/jobs/{id} and GET /v1/queue. */
export const jobOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/v1/jobs',
    operationId: 'submitJob',
    tag: 'jobs',
    summary: 'Submit a job',
    description:
      'Queues a training job. Every bad field is named in one 400. A request no pool could ever run (more GPUs per node or nodes than any pool has, an unknown GPU type) is a 422 saying what exists. ' +
      'With an `Idempotency-Key` header a retry returns the same job: 201 the first time, 200 after; the same key with a different body is a 409. ' +
      'Researchers submit to projects they are members of; the job is theirs and belongs to the project’s institution.',
    auth: true,
    params: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        description: 'Makes the submission safe to retry: 1–200 visible ASCII characters, unique per user (a UUID).',
        schema: { type: 'string', minLength: 1, maxLength: 200 },
        example: '6f1c2a9e-3b7d-4c55-9f0e-2d8a7b1e4c30',
      },
    ],
    requestBody: { schema: jobSubmitSchema, description: 'The job. Content-Type must be application/json.', example: submitExample },
    responses: {
      201: { description: 'Queued.', schema: jobViewSchema, example: jobExample, headers: location },
      200: { description: 'A retry with a known Idempotency-Key: the job the first attempt made.', schema: jobViewSchema, example: jobExample, headers: location },
      400: { description: 'A field is missing or wrong; `details.issues` lists each.', schema: errorBodySchema, example: invalidExample },
      422: { description: 'No pool could ever run this request; the message says what exists.', schema: errorBodySchema, example: unprocessableExample },
    },
    errors: [403, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/jobs',
    operationId: 'listJobs',
    tag: 'jobs',
    summary: 'List jobs',
    description: 'Jobs newest first, with cursor pagination. Researchers see their own jobs, institution admins their institution’s, national admins all.',
    auth: true,
    params: [
      ...scopeParamDocs,
      { name: 'state', in: 'query', description: 'Comma-separated states, e.g. `queued,running`.', schema: { type: 'string' }, example: 'queued,running' },
      ...pageParamDocs,
    ],
    responses: { 200: { description: 'A page of jobs.', schema: jobPageSchema, example: { items: [jobExample] } } },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}',
    operationId: 'getJob',
    tag: 'jobs',
    summary: 'Get a job',
    description: 'Spec, state, cluster and pool, times, events and — while it waits — why it is pending, its queue position and estimated start.',
    auth: true,
    params: [idParam],
    responses: { 200: { description: 'The job.', schema: jobViewSchema, example: jobDetailExample } },
    errors: [404],
  },
  {
    method: 'delete',
    path: '/v1/jobs/{id}',
    operationId: 'cancelJob',
    tag: 'jobs',
    summary: 'Cancel a job',
    description:
      'Idempotent. A queued job is cancelled at once; a dispatching or running job is recorded as cancelled and then stopped on its cluster. A job already finished is returned unchanged.',
    auth: true,
    params: [idParam],
    responses: { 200: { description: 'The job after the cancellation.', schema: jobViewSchema, example: cancelledExample } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/queue',
    operationId: 'getQueue',
    tag: 'jobs',
    summary: 'The pending queue (sprio)',
    description:
      'Pending jobs in priority order with each job’s reason, position, estimated start and priority factors. Jobs no scheduling cycle has seen yet come last. ' +
      'Researchers see their own pending jobs (positions are still among all pending jobs), institution admins their institution’s, national admins all.',
    auth: true,
    params: [...scopeParamDocs, { name: 'limit', in: 'query', description: 'At most this many jobs, 1–500 (default 500).', schema: { type: 'integer', minimum: 1, maximum: 500 } }],
    responses: { 200: { description: 'The queue.', schema: queueViewSchema, example: queueExample } },
    errors: [400, 403],
  },
];
