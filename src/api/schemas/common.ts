/**
 * Response shapes shared by every endpoint: the error body, timestamps and pages. They document what the
 * server sends (the OpenAPI document is generated from them) and tests parse real responses with them, so
 * a response that drifts from its documentation fails a test.
 */
import { z } from 'zod';

/** An instant as RFC 3339 UTC text, e.g. `2026-05-01T09:30:00.000Z`. */
export const isoTime = z.iso.datetime();

/** One bad field of a 400. */
export const fieldIssueSchema = z.strictObject({
  path: z.string().meta({ description: 'Dotted path of the field (`sim.durationSeconds`), a query parameter or header name, or `(body)`.' }),
  message: z.string(),
});

/** The body of every error answer. */
export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({
        description:
          'invalid (400), unauthenticated (401), forbidden (403), not_found (404), conflict (409), payload_too_large (413), unsupported_media_type (415), unprocessable or budget_exhausted (422), rate_limited (429), unavailable (503), internal (500).',
        examples: ['invalid'],
      }),
      message: z.string().meta({ description: 'What went wrong and what to do about it.' }),
      details: z
        .looseObject({ issues: z.array(fieldIssueSchema).optional() })
        .optional()
        .meta({ description: 'Structured details; `issues` lists every bad field of a 400.' }),
    }),
  })
  .meta({
    id: 'Error',
    description: 'Every error has this shape.',
    examples: [{ error: { code: 'invalid', message: 'job submission is not valid — walltime: required', details: { issues: [{ path: 'walltime', message: 'required' }] } } }],
  });

/** A cursor page of `item`. */
export function pageOf<T extends z.ZodType>(item: T, id: string, description: string) {
  return z
    .strictObject({
      items: z.array(item),
      nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` to get the next page; absent on the last page.' }),
    })
    .meta({ id, description });
}
