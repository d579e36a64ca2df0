/** GET /v1/me as documented. */
import { meSchema } from '../schemas/me.js';
import type { OperationDoc } from './operation.js';

/** Documentation of GET /v1/me. */
export const meOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/v1/me',
    operationId: 'whoami',
    tag: 'identity',
    summary: 'Who am I',
    description: 'The user, institution and roles your token resolves to, the projects you may charge, and the default project `ncg submit` uses.',
    auth: true,
    responses: {
      200: {
        description: 'The caller.',
        schema: meSchema,
        example: { userId: 'nust-r01', name: 'Ayesha Khan', email: 'ayesha.khan@nust.edu.pk', institutionId: 'nust', roles: ['researcher'], operatorSiteIds: [], projects: [{ id: 'nust-llm', name: 'NUST: Urdu LLMs', institutionId: 'nust' }], defaultProject: 'nust-llm' },
      },
    },
    errors: [401],
  },
];
