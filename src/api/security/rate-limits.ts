/**
 * The rate limits REST and gRPC share: per API token, per client address, and a brake on failed
 * authentications per address (a token guesser gets 429 after `authFailuresPerMinute` misses, until the
 * minute refills — whether or not its next guess is right). Refusals are DomainError `rate_limited`
 * (429 / RESOURCE_EXHAUSTED) carrying `retryAfterSeconds`.
 */
import { DomainError } from '../../domain/errors.js';
import type { RateLimitConfig } from './config.js';
import { KeyedTokenBuckets, type Take } from './token-bucket.js';

function buckets(perSecond: number, burst: number, now: () => number): KeyedTokenBuckets | undefined {
  return perSecond > 0 ? new KeyedTokenBuckets(perSecond, Math.max(1, burst), now) : undefined;
}

function refuse(t: Take, what: string): DomainError {
  return new DomainError('rate_limited', `${what}; retry after ${t.retryAfterSeconds} s`, { retryAfterSeconds: t.retryAfterSeconds });
}

/** The limits of one process. */
export class RateLimiter {
  private readonly byToken: KeyedTokenBuckets | undefined;
  private readonly byAddress: KeyedTokenBuckets | undefined;
  private readonly authFailures: KeyedTokenBuckets | undefined;

  constructor(config: RateLimitConfig, now: () => number = Date.now) {
    this.byToken = buckets(config.tokenPerSecond, config.tokenBurst, now);
    this.byAddress = buckets(config.addressPerSecond, config.addressBurst, now);
    this.authFailures = buckets(config.authFailuresPerMinute / 60, config.authFailuresPerMinute, now);
  }

  /** Throw unless the address may make another request. */
  address(address: string): void {
    const t = this.byAddress?.take(address);
    if (t && !t.ok) throw refuse(t, `too many requests from ${address}`);
  }

  /** Throw unless the token (its id, or its user's id) may make another request. */
  token(key: string): void {
    const t = this.byToken?.take(key);
    if (t && !t.ok) throw refuse(t, 'too many requests with this API token');
  }

  /** Throw when the address has used up its failed authentications. */
  assertMayAuthenticate(address: string): void {
    const t = this.authFailures?.peek(address);
    if (t && !t.ok) throw refuse(t, `too many failed authentications from ${address}`);
  }

  /** Count a failed authentication from the address. */
  authFailed(address: string): void {
    this.authFailures?.take(address);
  }
}
