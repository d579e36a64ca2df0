/**
 * A short-lived cache in front of token resolution. Resolving a token costs two or three queries (token row,
 * last-used stamp, user and roles); at thousands of requests a second that would be most of the work of a
 * submission. Entries are keyed by the SHA-256 of the secret, so the cache never holds secrets, and are
 * bounded in number (LRU), so random tokens cannot grow it.
 *
 * The price is revocation latency: a revoked or expired token, or a changed role, takes effect within
 * `ttlMs` (default 15 s) on each replica. Call `clear()` after a revocation to make it immediate locally.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/principal.js';
import { TtlCache, loadThrough } from '../../services/ttl-cache.js';

/** How long a resolved token is trusted without asking the database again. */
export const DEFAULT_TOKEN_CACHE_TTL_MS = 15_000;

/** Resolves a presented secret to a principal; undefined when unknown, revoked or expired. */
export type SecretResolver = (secret: string) => Promise<Principal | undefined>;

/** A resolver with a cache, and a way to empty it. */
export interface CachedTokenResolver extends SecretResolver {
  clear(): void;
}

/** Wrap `resolve` with a TTL + LRU cache (unknown tokens are cached too, so a bad token cannot hammer the database). */
export function cachedTokenResolver(
  resolve: SecretResolver,
  opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): CachedTokenResolver {
  const cache = new TtlCache<string, Promise<Principal | undefined>>(opts.ttlMs ?? DEFAULT_TOKEN_CACHE_TTL_MS, opts.maxEntries ?? 10_000, opts.now);
  const resolver = (secret: string) => {
    const key = createHash('sha256').update(secret, 'utf8').digest('base64url');
    return loadThrough(cache, key, () => resolve(secret));
  };
  return Object.assign(resolver, { clear: () => cache.clear() });
}
