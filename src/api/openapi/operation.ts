/**
 * How an endpoint is described for the OpenAPI document: bodies are the zod schemas the server
 * validates with or answers with; parameters are small JSON Schemas (query strings are parsed by
 * src/api/rest/query.ts, not zod). Every route the express app registers must have one of these
 * (test/integration/api/openapi.test.ts walks the router to check).
 */
import type { z } from 'zod';

/** A JSON Schema fragment. */
export type JsonSchema = Record<string, unknown>;

/** A path, query or header parameter. */
export interface ParamDoc {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
}

/** One documented response. */
export interface ResponseDoc {
  description: string;
  /** A zod schema of the JSON body; absent for non-JSON bodies (then give contentType). */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  example?: unknown;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** One endpoint. */
export interface OperationDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: `/v1/jobs/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  /** Requires `Authorization: Bearer <api token>`. */
  auth: boolean;
  params?: ParamDoc[];
  requestBody?: { schema: z.ZodType; description: string; example: unknown };
  /** Success responses (and any error with a specific meaning, e.g. 422), by status. */
  responses: Record<number, ResponseDoc>;
  /** Error statuses that answer with the standard Error body; 401 is implied by `auth`. */
  errors?: number[];
}

/** Cursor pagination parameters shared by list endpoints. */
export const pageParamDocs: ParamDoc[] = [
  { name: 'limit', in: 'query', description: 'Page size, 1–500 (default 100).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
  { name: 'cursor', in: 'query', description: '`nextCursor` from the previous page, unchanged.', schema: { type: 'string' } },
];

/** Filters shared by the job list and the queue. */
export const scopeParamDocs: ParamDoc[] = [
  { name: 'institution', in: 'query', description: 'Only jobs of this institution.', schema: { type: 'string' }, example: 'nust' },
  { name: 'project', in: 'query', description: 'Only jobs of this project.', schema: { type: 'string' } },
  { name: 'user', in: 'query', description: 'Only jobs of this user (researchers may give only themself).', schema: { type: 'string' } },
];
