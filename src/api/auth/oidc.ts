/**
 * Bearer JWTs from the configured OpenID Connect issuer (auth.oidc), verified with `jose` against the
 * issuer's JWKS (fetched and cached by jose), and mapped to a Principal: user, institution and roles from
 * the configured claims, operated sites from ncg's own records.
 *
 * Unknown people are refused, not provisioned: the user claim must name a user registered in ncg, and the
 * institution claim must be that user's institution — an SSO login alone never creates an account or
 * moves one between institutions. Every refusal is a 401 whose message says which check failed.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/principal.js';
import type { Role, User } from '../../domain/types.js';
import type { OidcConfig } from './oidc-config.js';

const ROLES: readonly Role[] = ['researcher', 'institution-admin', 'coe-operator', 'national-admin'];
/** Three base64url parts: a compact JWS. API tokens (`ncg_…`) never contain dots. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True when a bearer secret looks like a JWT rather than an ncg API token. */
export function looksLikeJwt(secret: string): boolean {
  return JWT_SHAPE.test(secret);
}

/** Finds a registered user by id; undefined when there is none. */
export type UserLookup = (userId: string) => Promise<User | undefined>;

const refuse = (message: string) => new DomainError('unauthenticated', message);

function rolesOf(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return ROLES.filter((r) => list.includes(r));
}

function why(e: unknown, config: OidcConfig): string {
  if (e instanceof errors.JWTExpired) return 'the SSO token has expired; sign in again';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'iss') return `the SSO token was not issued by ${config.issuer}`;
    if (e.claim === 'aud') return `the SSO token is not meant for this server (audience must be ${config.audience})`;
    return `the SSO token's ${e.claim} claim is not valid (${e.reason})`;
  }
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWSSignatureVerificationFailed) return "the SSO token's signature does not verify against the issuer's keys";
  if (e instanceof errors.JOSEError) return `the SSO token cannot be verified (${e.code})`;
  return 'the SSO token cannot be verified';
}

/** A resolver of JWTs to principals; throws `unauthenticated` with the reason on any failure. */
export function oidcResolver(config: OidcConfig, findUser: UserLookup): (jwt: string) => Promise<Principal> {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl ?? `${config.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`));
  return async (jwt) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, jwks, { issuer: config.issuer, audience: config.audience, requiredClaims: ['exp'] }));
    } catch (e) {
      throw refuse(why(e, config));
    }
    const userId = payload[config.claims.user];
    if (typeof userId !== 'string' || userId === '') throw refuse(`the SSO token has no ${config.claims.user} claim naming the ncg user`);
    const user = await findUser(userId);
    if (!user) throw refuse(`SSO user ${JSON.stringify(userId)} is not registered in ncg; ask your institution admin to add you`);
    const institution = payload[config.claims.institution];
    if (institution !== undefined && institution !== user.institutionId) {
      throw refuse(`the SSO token's institution ${JSON.stringify(institution)} is not ${userId}'s institution in ncg (${user.institutionId})`);
    }
    const roles = rolesOf(payload[config.claims.roles]);
    if (roles.length === 0) throw refuse(`the SSO token's ${config.claims.roles} claim holds no ncg role (${ROLES.join(', ')})`);
    return { userId: user.id, institutionId: user.institutionId, roles, operatorSiteIds: user.operatorSiteIds ?? [] };
  };
}

/** One resolver for both kinds of bearer: JWTs through OIDC (when configured), everything else as API tokens. */
export function withOidc<R extends (secret: string) => Promise<Principal | undefined>>(apiTokens: R, oidc: ((jwt: string) => Promise<Principal>) | undefined): (secret: string) => Promise<Principal | undefined> {
  if (!oidc) return apiTokens;
  return (secret) => (looksLikeJwt(secret) ? oidc(secret) : apiTokens(secret));
}
