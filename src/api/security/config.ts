/**
 * The `http.cors` and `http.rateLimit` configuration. Rate-limit defaults are far above what one client
 * of a healthy grid sends — the API bench drives ~3,400 submissions/s from one token and one address over
 * 32 connections and must not be throttled — so they stop floods and brute force, not users. 0 turns a
 * limit off.
 */
import { z } from 'zod';

const int = () => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ error: 'expected a whole number' }).int('expected a whole number').min(0, 'expected 0 (off) or more'));

/** Origins as a list, or one comma-separated string (from NCG_HTTP_CORS_ORIGINS). */
const origins = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : v),
  z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'expected an origin like https://portal.example.pk (scheme and host, no path)')),
);

/** `http.cors`: browsers on these origins may call the API; none (the default) means CORS is off. */
export const corsConfigSchema = z.strictObject({ origins: origins.default([]) });

/** `http.rateLimit`: token buckets per token and per client address, and the failed-authentication brake. */
export const rateLimitConfigSchema = z.strictObject({
  /** Sustained requests per second one API token may make. */
  tokenPerSecond: int().default(10_000),
  /** Requests one token may burst above the sustained rate. */
  tokenBurst: int().default(20_000),
  /** Sustained requests per second from one client address (all tokens, and none). */
  addressPerSecond: int().default(20_000),
  addressBurst: int().default(40_000),
  /** Failed authentications one address may make per minute before it gets 429 until the minute refills. */
  authFailuresPerMinute: int().default(30),
});

/** A validated `http.cors`. */
export type CorsConfig = z.infer<typeof corsConfigSchema>;
/** A validated `http.rateLimit`. */
export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

/** The defaults, for callers (tests, embedders) that build an app without a whole configuration. */
export const defaultRateLimits: RateLimitConfig = rateLimitConfigSchema.parse({});

/**
 * `http.trustProxy`: which proxies' `X-Forwarded-For` names the client (express's "trust proxy"). Off by
 * default: the client is the socket's peer. Behind an ingress controller or load balancer that peer is the
 * proxy, so every user would share one address — one rate-limit bucket, one failed-authentication brake
 * (30 misses a minute would lock everyone out) and one address in the audit log. Give the number of proxy
 * hops in front of ncg (`1` for one ingress) or their addresses/subnets (`10.0.0.0/8,loopback`). `true`
 * trusts any header, which any client can forge: only behind a proxy that overwrites it.
 */
export const trustProxySchema = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    if (s === '' || s === 'false') return false;
    if (s === 'true') return true;
    if (/^\d+$/.test(s)) return Number(s);
    return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  },
  z.union([z.boolean(), z.number().int().min(0), z.array(z.string().regex(/^[0-9a-fA-F.:/]+$|^(loopback|linklocal|uniquelocal)$/, 'expected an IP address, a subnet (10.0.0.0/8) or loopback/linklocal/uniquelocal')).min(1)], {
    error: 'expected false, true, a number of proxy hops, or proxy addresses/subnets',
  }),
);

/** The validated `http.trustProxy` value. */
export type TrustProxy = z.infer<typeof trustProxySchema>;
