/** Parsing of human durations ("90m", "1h30m", "2d", "01:30:00", 3600) into whole seconds. */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds for a duration given as a number of seconds or a string; undefined when it cannot be read. */
export function parseDurationSeconds(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const s = input.trim().toLowerCase();
  if (/^\d+$/.test(s)) return positive(Number(s));
  const clock = /^(?:(\d+)-)?(\d{1,3}):(\d{2})(?::(\d{2}))?$/.exec(s); // Slurm style [D-]HH:MM[:SS]
  if (clock) {
    const [, d, h, m, sec] = clock;
    if (Number(m) >= 60 || Number(sec ?? 0) >= 60) return undefined;
    return positive(Number(d ?? 0) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(sec ?? 0));
  }
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(s)) return undefined;
  let total = 0;
  for (const [, n, unit] of s.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) total += Number(n) * UNIT_SECONDS[unit!]!;
  return Number.isInteger(total) ? positive(total) : positive(Math.round(total));
}

function positive(n: number): number | undefined {
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A compact human rendering: 5400 → "1h30m". */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
