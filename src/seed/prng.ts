/**
 * A small seeded PRNG (mulberry32) so the seed can vary names without being random: the same seed gives
 * the same sequence on every machine and every run.
 */

/** A deterministic source of numbers in [0, 1). */
export interface Prng {
  next(): number;
  /** An element of `items`, chosen by the next number. */
  pick<T>(items: readonly T[]): T;
}

/** mulberry32 seeded with a 32-bit integer. */
export function seededPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
