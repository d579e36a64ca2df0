/** The keyed token buckets behind the rate limits: burst, refill over time, Retry-After, bounded keys. */
import { describe, expect, it } from 'vitest';
import { KeyedTokenBuckets } from '../../../src/api/security/token-bucket.js';
import { loadConfig } from '../../../src/config/index.js';

describe('KeyedTokenBuckets', () => {
  it('allows a burst, then refuses with the seconds until a token refills, then refills', () => {
    let now = 0;
    const b = new KeyedTokenBuckets(0.5, 2, () => now);
    expect([b.take('a').ok, b.take('a').ok]).toEqual([true, true]);
    expect(b.take('a')).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(b.take('b').ok).toBe(true); // keys are independent
    now = 2_000;
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a').ok).toBe(false);
  });

  it('never holds more than its capacity, however long it rests', () => {
    let now = 0;
    const b = new KeyedTokenBuckets(100, 3, () => now);
    b.take('a');
    now = 3_600_000;
    expect([1, 2, 3, 4].map(() => b.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('forgets the least recently used key beyond maxKeys (a flood of addresses cannot grow memory)', () => {
    const b = new KeyedTokenBuckets(1, 1, () => 0, 2);
    b.take('a');
    b.take('b');
    b.take('c'); // evicts a
    expect(b.take('a').ok).toBe(true); // back, full
    expect(b.take('c').ok).toBe(false);
  });
});

describe('http.rateLimit and http.cors configuration', () => {
  it('reads limits and origins from the environment and refuses nonsense', () => {
    const c = loadConfig({ env: { NCG_RATE_LIMIT_TOKEN_PER_SECOND: '50', NCG_HTTP_CORS_ORIGINS: 'https://a.example, https://b.example:8443' } });
    expect(c.http.rateLimit.tokenPerSecond).toBe(50);
    expect(c.http.rateLimit.addressPerSecond).toBe(20_000);
    expect(c.http.cors.origins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(loadConfig({}).http.cors.origins).toEqual([]);
    expect(() => loadConfig({ env: { NCG_RATE_LIMIT_TOKEN_PER_SECOND: '-1' } })).toThrow(/http\.rateLimit\.tokenPerSecond/);
    expect(() => loadConfig({ env: { NCG_HTTP_CORS_ORIGINS: 'https://a.example/path' } })).toThrow(/http\.cors\.origins/);
  });
});
