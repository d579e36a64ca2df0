/**
 * Rounding of published numbers. KPIs are rounded once, where they are computed, so JSON, CSV, HTML and
 * snapshot hashes all carry the same digits (a CSV cell parses back to exactly the JSON number).
 */

/** `x` rounded to `digits` decimals (half away from zero), without -0. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.sign(x) * Math.round(Math.abs(x) * f) / f;
  return r === 0 ? 0 : r;
}

/** GPU-hours from GPU-seconds, to 3 decimals (3.6 GPU-seconds). */
export function gpuHours(gpuSeconds: number): number {
  return round(gpuSeconds / 3600, 3);
}

/** A ratio to 4 decimals, or null when the denominator is 0. */
export function ratio(num: number, den: number): number | null {
  return den > 0 ? round(num / den, 4) : null;
}
