/** The token cache and the TTL cache under it: hits within the TTL, expiry, LRU bound, no cached failures. */
import { describe, expect, it } from 'vitest';
import { cachedTokenResolver } from '../../../src/api/auth/token-cache.js';
import type { Principal } from '../../../src/domain/principal.js';
import { TtlCache, loadThrough } from '../../../src/services/ttl-cache.js';

const principal: Principal = { userId: 'u', institutionId: 'i', roles: ['researcher'], operatorSiteIds: [] };

describe('cachedTokenResolver', () => {
  it('asks the database once per token within the TTL, again after it, and shares concurrent lookups', async () => {
    let now = 0;
    let calls = 0;
    const resolve = cachedTokenResolver(async (s) => (calls++, s === 'good' ? principal : undefined), { ttlMs: 1_000, now: () => now });
    const [a, b] = await Promise.all([resolve('good'), resolve('good')]);
    expect([a, b, calls]).toEqual([principal, principal, 1]);
    expect(await resolve('bad')).toBeUndefined();
    expect(await resolve('bad')).toBeUndefined();
    expect(calls).toBe(2);
    now = 1_000;
    await resolve('good');
    expect(calls).toBe(3);
    resolve.clear();
    await resolve('good');
    expect(calls).toBe(4);
  });

  it('does not cache a failed lookup', async () => {
    let fail = true;
    const resolve = cachedTokenResolver(async () => {
      if (fail) throw new Error('database down');
      return principal;
    });
    await expect(resolve('t')).rejects.toThrow('database down');
    fail = false;
    expect(await resolve('t')).toEqual(principal);
  });
});

describe('TtlCache', () => {
  it('evicts the least recently used entry when full', () => {
    const c = new TtlCache<string, number>(60_000, 2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, undefined, 3, 2]);
  });

  it('loadThrough loads once per key', async () => {
    const c = new TtlCache<string, Promise<number>>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([loadThrough(c, 'k', load), loadThrough(c, 'k', load)])).toEqual([1, 1]);
  });
});
