/** Allocation periods of the seed: calendar quarters in UTC, named like `2026-Q4`. */

/** A period's bounds in epoch ms: start inclusive, end exclusive. */
export interface PeriodBounds {
  name: string;
  start: number;
  end: number;
}

/** The default allocation period of the seed (fixed, so the seed never depends on the clock). */
export const DEFAULT_SEED_PERIOD = '2026-Q4';

/** Bounds of a quarter named `YYYY-Qn`; throws RangeError naming the expected form otherwise. */
export function quarterBounds(name: string): PeriodBounds {
  const m = /^(\d{4})-Q([1-4])$/.exec(name);
  if (!m) throw new RangeError(`period must look like 2026-Q4 (year, "-Q", quarter 1–4), got ${JSON.stringify(name)}`);
  const year = Number(m[1]);
  const firstMonth = (Number(m[2]) - 1) * 3;
  return { name, start: Date.UTC(year, firstMonth, 1), end: Date.UTC(year, firstMonth + 3, 1) };
}

/** Whole hours in a period (a quarter has 90–92 days). */
export function periodHours(p: PeriodBounds): number {
  return (p.end - p.start) / 3_600_000;
}
