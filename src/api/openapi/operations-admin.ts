/** Projects and members, CoE operators' cluster actions and the audit log as documented. */
import { auditPageSchema } from '../schemas/audit.js';
import { clusterActionSchema } from '../schemas/cluster-actions.js';
import { memberAddSchema, memberChangeSchema, projectCreateSchema, projectListSchema, projectViewSchema } from '../schemas/projects.js';
import { pageParamDocs, type OperationDoc, type ParamDoc } from './operation.js';

const projectId: ParamDoc = { name: 'id', in: 'path', required: true, description: 'Project id.', schema: { type: 'string' }, example: 'nust-vision' };
const clusterId: ParamDoc = { name: 'id', in: 'path', required: true, description: 'Cluster id.', schema: { type: 'string' }, example: 'isb-k8s' };
const project = { id: 'nust-vision', institution: 'nust', name: 'Vision', shares: 1 };
const change = { project: 'nust-vision', user: 'nust-r07', changed: true, members: ['nust-r01', 'nust-r07'] };

const clusterAction = (action: 'drain' | 'cordon' | 'resume', state: string, description: string): OperationDoc => ({
  method: 'post', path: `/v1/clusters/{id}/${action}`, operationId: `${action}Cluster`, tag: 'grid', summary: `${action[0]!.toUpperCase()}${action.slice(1)} a cluster`,
  description: `${description} CoE operators of the cluster’s site and national admins. Idempotent (\`changed: false\` when already ${state}).`,
  auth: true, params: [clusterId],
  responses: { 200: { description: 'The cluster’s state.', schema: clusterActionSchema, example: { cluster: 'isb-k8s', previousState: 'active', state, changed: true, activeJobs: 3 } } },
  errors: [403, 404],
});

const time = (name: string, what: string): ParamDoc => ({ name, in: 'query', description: `${what}: a date (2026-10-01) or an RFC 3339 time.`, schema: { type: 'string' } });

/** Documentation of /v1/projects…, /v1/clusters/{id}/{drain,cordon,resume} and /v1/audit. */
export const adminOperations: OperationDoc[] = [
  {
    method: 'get', path: '/v1/projects', operationId: 'listProjects', tag: 'projects', summary: 'List projects',
    description: 'Projects of the caller’s institution (national admins: any).', auth: true,
    params: [{ name: 'institution', in: 'query', description: 'Only this institution.', schema: { type: 'string' } }],
    responses: { 200: { description: 'Projects.', schema: projectListSchema, example: { items: [project] } } },
    errors: [400, 403],
  },
  {
    method: 'post', path: '/v1/projects', operationId: 'createProject', tag: 'projects', summary: 'Create a project',
    description: 'In the caller’s institution (national admins may name one).', auth: true,
    requestBody: { schema: projectCreateSchema, description: 'The project.', example: { name: 'Vision', shares: 1 } },
    responses: { 201: { description: 'Created.', schema: projectViewSchema, example: { ...project, members: [] } } },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'get', path: '/v1/projects/{id}', operationId: 'getProject', tag: 'projects', summary: 'A project with its members',
    description: 'Another institution’s project answers 404.', auth: true, params: [projectId],
    responses: { 200: { description: 'The project.', schema: projectViewSchema, example: { ...project, members: ['nust-r01'] } } },
    errors: [404],
  },
  {
    method: 'get', path: '/v1/projects/{id}/members', operationId: 'listProjectMembers', tag: 'projects', summary: 'Members of a project',
    description: 'User ids of those who may submit to it.', auth: true, params: [projectId],
    responses: { 200: { description: 'Members.', schema: memberChangeSchema.pick({ project: true, members: true }), example: { project: 'nust-vision', members: ['nust-r01'] } } },
    errors: [404],
  },
  {
    method: 'post', path: '/v1/projects/{id}/members', operationId: 'addProjectMember', tag: 'projects', summary: 'Add a member',
    description: 'A user of the project’s institution (others answer 404). 201 when added, 200 when already a member.', auth: true, params: [projectId],
    requestBody: { schema: memberAddSchema, description: 'The user.', example: { user: 'nust-r07' } },
    responses: { 201: { description: 'Added.', schema: memberChangeSchema, example: change }, 200: { description: 'Already a member.', schema: memberChangeSchema, example: { ...change, changed: false } } },
    errors: [400, 403, 404],
  },
  {
    method: 'delete', path: '/v1/projects/{id}/members/{user}', operationId: 'removeProjectMember', tag: 'projects', summary: 'Remove a member',
    description: 'The user can no longer submit to the project (on this replica at once; on others within the 30 s membership cache). Their jobs already submitted are not cancelled.',
    auth: true, params: [projectId, { name: 'user', in: 'path', required: true, description: 'User id.', schema: { type: 'string' } }],
    responses: { 200: { description: 'Removed (`changed: false` if they were not a member).', schema: memberChangeSchema, example: { ...change, members: ['nust-r01'] } } },
    errors: [403, 404],
  },
  clusterAction('drain', 'draining', 'No new dispatches; running jobs finish (`activeJobs` counts them down).'),
  clusterAction('cordon', 'offline', 'Out of service: no new dispatches; running jobs are left to the cluster.'),
  clusterAction('resume', 'active', 'Back in service (uncordon).'),
  {
    method: 'get', path: '/v1/audit', operationId: 'listAudit', tag: 'audit', summary: 'The audit log',
    description: 'Every mutating action, newest first: who (user and token), from where, what, when, before and after. National admins see all; institution admins their institution’s. JSON, or CSV with `format=csv` / `Accept: text/csv` (next cursor in `X-Next-Cursor`).',
    auth: true,
    params: [
      { name: 'actor', in: 'query', description: 'Only this user’s actions.', schema: { type: 'string' } },
      { name: 'action', in: 'query', description: 'An action (`allocation.split`) or a prefix without a dot (`allocation`).', schema: { type: 'string' } },
      { name: 'targetKind', in: 'query', description: 'allocation, allocation-request, project, cluster, job, api-token.', schema: { type: 'string' } },
      { name: 'target', in: 'query', description: 'Only this target id.', schema: { type: 'string' } },
      { name: 'institution', in: 'query', description: 'Only entries concerning this institution.', schema: { type: 'string' } },
      time('from', 'At or after'),
      time('to', 'Before'),
      ...pageParamDocs,
      { name: 'format', in: 'query', description: '`json` (default) or `csv`.', schema: { type: 'string', enum: ['json', 'csv'] } },
    ],
    responses: {
      200: {
        description: 'A page of entries.',
        schema: auditPageSchema,
        example: { items: [{ id: 42, at: '2026-11-03T10:00:00.000Z', actor: 'admin', token: 'tok-01J9Z8Q4M6T0V4W2X3Y5Z7A9BC', address: '10.1.2.3', institution: 'nust', action: 'allocation.approve', targetKind: 'allocation-request', targetId: 'areq-01J9Z8Q4M6T0V4W2X3Y5Z7A9BC', before: { gpuHours: 40000 }, after: { gpuHours: 45000 } }] },
      },
    },
    errors: [400, 403],
  },
];
