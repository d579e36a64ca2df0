/**
 * A small seeded pseudo-random generator for synthetic workloads (mulberry32).
 * The simulator never touches Math.random: the same seed must give the same workload on every machine,
 * and mulberry32 is exact in 32-bit integer arithmetic, so it is portable across JS engines.
 */

/** A deterministic source of random numbers with the distributions the generators need. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Standard normal (Box–Muller, one value per call; the second is discarded for simplicity). */
  normal(): number;
  /** Log-normal with the given median (e^mu) and sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number;
  /** Pick an index with probability proportional to weights[i]. */
  weighted(weights: readonly number[]): number;
}

/** Build an Rng from a 32-bit seed (any number; it is folded to 32 bits). */
export function createRng(seed: number): Rng {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // 1 - next() is in (0, 1], so the log is finite.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    exponential: (mean) => -Math.log(1 - next()) * mean,
    normal,
    lognormal: (median, sigma) => median * Math.exp(sigma * normal()),
    weighted: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i] ?? 0;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
  };
}

/** A stable 32-bit FNV-1a hash of a string: maps trace groups/users onto institutions reproducibly. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
