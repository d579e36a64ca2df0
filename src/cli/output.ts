/**
 * How the user commands print: aligned plain-text tables by default (no colours, so output pipes and
 * greps cleanly), or the server's JSON with `--output json` for scripts. Times are shown in UTC to the
 * second, with a relative hint ("3m ago", "in 12m") where it helps.
 */
import { CommanderError, Option, type Command } from 'commander';
import { formatDuration } from '../domain/duration.js';

/** Output formats. */
export type OutputFormat = 'table' | 'json';

/** Options every user command takes. */
export interface CommonOptions {
  output: OutputFormat;
  url?: string;
}

/** Exit code of a command-line mistake (an unknown flag, a missing argument), as for a bad flag value. */
const USAGE_EXIT = 2;

/** Add `-o/--output` and `--url` to a command, and make command-line mistakes exit 2. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .exitOverride((err) => {
      // --help and --version are not mistakes: keep their code (0).
      if (err.exitCode === 0) throw err;
      throw new CommanderError(USAGE_EXIT, err.code, err.message);
    })
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--url <url>', 'ncg REST address (NCG_URL, default http://127.0.0.1:8080)');
}

/** Write a line to stdout. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Print a value as pretty JSON. */
export function printJson(value: unknown): void {
  say(JSON.stringify(value, null, 2));
}

const MAX_CELL = 48;

function clip(s: string, max = MAX_CELL): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Render rows under headers with columns padded to their widest cell; `right` names right-aligned columns. */
export function table(headers: string[], rows: (string | number | undefined)[][], right: readonly string[] = []): string {
  const cells = rows.map((r) => headers.map((_, i) => clip(String(r[i] ?? ''))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right.includes(headers[i]!) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** Print `label  value` lines with labels aligned (for one object, e.g. a job). */
export function details(pairs: [string, string | undefined][]): void {
  const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  for (const [k, v] of shown) say(`${k.padEnd(width)}  ${v}`);
}

/** `2026-05-01T09:30:00Z` from an RFC 3339 time (or epoch ms); empty when absent. */
export function time(value: string | number | undefined): string {
  if (value === undefined) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "3m ago" / "in 12m" relative to now. */
export function relative(value: string | number | undefined, now = Date.now()): string {
  if (value === undefined) return '';
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  if (Math.abs(seconds) < 1) return 'now';
  return seconds > 0 ? `in ${formatDuration(seconds)}` : `${formatDuration(-seconds)} ago`;
}

/** A time with its relative hint: `2026-05-01T09:30:00Z (in 12m)`. */
export function when(value: string | number | undefined): string {
  if (value === undefined) return '';
  const rel = relative(value);
  return rel ? `${time(value)} (${rel})` : time(value);
}

/** A number with at most `digits` decimals, without trailing zeros. */
export function num(value: number | undefined, digits = 3): string {
  return value === undefined ? '' : String(Number(value.toFixed(digits)));
}
