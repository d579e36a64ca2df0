/**
 * API token bodies: what POST /v1/tokens accepts, and how a token is shown (never its secret, except
 * once in the answer to its creation).
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../../domain/duration.js';
import { isoTime, pageOf } from './common.js';

/** Longest lifetime a token may be given: two years (longer-lived credentials should be re-issued). */
export const MAX_TOKEN_LIFETIME_SECONDS = 2 * 365 * 86_400;
/** Lifetime when none is given. */
export const DEFAULT_TOKEN_LIFETIME = '90d';

const lifetime = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    if (v === 'never') return undefined;
    const seconds = parseDurationSeconds(v);
    if (seconds === undefined || seconds > MAX_TOKEN_LIFETIME_SECONDS) {
      ctx.addIssue({ code: 'custom', message: `expected a duration up to 730d (e.g. "90d", "12h") or "never", got ${JSON.stringify(v).slice(0, 40)}` });
      return z.NEVER;
    }
    return seconds;
  })
  .meta({ description: 'Lifetime: a duration ("90d", "12h", seconds) up to 730d, or "never". Default 90d.', examples: ['90d'] });

/** The body of POST /v1/tokens. */
export const tokenCreateSchema = z
  .strictObject({
    name: z.string().min(1, 'required').max(200, 'at most 200 characters').meta({ description: 'What the token is for (shown in listings).', examples: ['laptop'] }),
    user: z.string().min(1).max(200).optional().meta({ description: 'Whose token (default: yours). Admins may create tokens for users they administer.', examples: ['nust-r01'] }),
    expires: lifetime.optional(),
  })
  .meta({ id: 'TokenCreate', description: 'A new API token.' });

/** A token as listed. */
export const tokenViewSchema = z
  .strictObject({
    id: z.string(),
    user: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the secret, to recognise it.' }),
    createdAt: isoTime,
    expiresAt: isoTime.nullable(),
    revokedAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
  })
  .meta({ id: 'Token', description: 'An API token, without its secret.' });

/** The answer to POST /v1/tokens: the token and, this once, its secret. */
export const createdTokenSchema = tokenViewSchema
  .extend({ secret: z.string().meta({ description: 'The bearer secret. Shown only here; the server keeps only its SHA-256.' }) })
  .meta({ id: 'CreatedToken', description: 'A new API token with its secret (shown once).' });

/** GET /v1/tokens. */
export const tokenListSchema = pageOf(tokenViewSchema, 'TokenList', 'API tokens, newest first.');
