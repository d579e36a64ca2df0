/** The API token endpoints as documented. */
import { createdTokenSchema, tokenCreateSchema, tokenListSchema, tokenViewSchema } from '../schemas/tokens.js';
import type { OperationDoc } from './operation.js';

const tokenExample = { id: 'tok_01j9zq8k2m', user: 'nust-r01', name: 'laptop', prefix: 'ncg_Xy3kP9aQ', createdAt: '2026-10-01T09:00:00.000Z', expiresAt: '2026-12-30T09:00:00.000Z', revokedAt: null, lastUsedAt: null };

/** Documentation of POST/GET /v1/tokens and DELETE /v1/tokens/{id}. */
export const tokenOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/v1/tokens',
    operationId: 'createToken',
    tag: 'tokens',
    summary: 'Create an API token',
    description:
      'A new 256-bit bearer token for yourself or (institution admins: for users of your institution; national admins: for anyone) another user. ' +
      'The secret is in this answer only; the server stores its SHA-256. Default lifetime 90 days.',
    auth: true,
    requestBody: { schema: tokenCreateSchema, description: 'Name, optional user and lifetime.', example: { name: 'laptop', expires: '90d' } },
    responses: { 201: { description: 'The token and its secret (shown once).', schema: createdTokenSchema, example: { ...tokenExample, secret: 'ncg_Xy3kP9aQ…' } } },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/v1/tokens',
    operationId: 'listTokens',
    tag: 'tokens',
    summary: 'List API tokens',
    description: 'Your tokens (or, with `user`, those of a user you administer), newest first, without secrets.',
    auth: true,
    params: [{ name: 'user', in: 'query', description: 'Whose tokens (default: yours).', schema: { type: 'string' } }],
    responses: { 200: { description: 'The tokens.', schema: tokenListSchema, example: { items: [tokenExample] } } },
    errors: [400, 403, 404],
  },
  {
    method: 'delete',
    path: '/v1/tokens/{id}',
    operationId: 'revokeToken',
    tag: 'tokens',
    summary: 'Revoke an API token',
    description: 'Revoked at once on the replica that answers, within 15 s on the others. Revoking twice keeps the first time.',
    auth: true,
    params: [{ name: 'id', in: 'path', required: true, description: 'Token id.', schema: { type: 'string' } }],
    responses: { 200: { description: 'The revoked token.', schema: tokenViewSchema, example: { ...tokenExample, revokedAt: '2026-10-02T09:00:00.000Z' } } },
    errors: [404],
  },
];
