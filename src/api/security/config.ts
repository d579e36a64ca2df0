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
