/**
 * `auth.oidc`: optional bearer JWTs from a national SSO, verified against the issuer's JWKS. Absent (the
 * default), only ncg API tokens are accepted.
 */
import { z } from 'zod';

const url = () => z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL');

/** The `auth.oidc` block. */
export const oidcConfigSchema = z.strictObject({
  /** The `iss` every token must carry. */
  issuer: url(),
  /** Where the signing keys are (default: `<issuer>/.well-known/jwks.json`). */
  jwksUrl: url().optional(),
  /** The `aud` every token must carry (ncg's client id at the SSO). */
  audience: z.string().min(1),
  /** Claim names: the ncg user id, the institution id and the roles (a list, or a space/comma-separated string). */
  claims: z
    .strictObject({
      user: z.string().min(1).default('sub'),
      institution: z.string().min(1).default('ncg_institution'),
      roles: z.string().min(1).default('ncg_roles'),
    })
    .default({ user: 'sub', institution: 'ncg_institution', roles: 'ncg_roles' }),
});

/** A validated `auth.oidc`. */
export type OidcConfig = z.infer<typeof oidcConfigSchema>;

/** The `auth` block. */
export const authConfigSchema = z.strictObject({ oidc: oidcConfigSchema.optional() });
