/**
 * Reporting periods, in UTC: a year (`2026`), a quarter (`2026-Q3`), a month (`2026-11`), a day
 * (`2026-11-05`) or an explicit range `from/to` of dates or RFC 3339 instants. Start inclusive, end
 * exclusive, epoch milliseconds — the same half-open windows the ledger and the allocations use.
 */

/** What kind of period a name denotes. */
export type PeriodKind = 'year' | 'quarter' | 'month' | 'day' | 'range';

/** A resolved period. */
export interface Period {
  /** The canonical name: `2026`, `2026-Q3`, `2026-11`, `2026-11-05` or `<from>/<to>`. */
  name: string;
  kind: PeriodKind;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/** Thrown for a period that cannot be parsed; the message shows the accepted forms. */
export class PeriodError extends RangeError {}

const FORMS = 'a year (2026), a quarter (2026-Q3), a month (2026-11), a day (2026-11-05) or from/to';

/** Parse a period name. */
export function parsePeriod(name: string): Period {
  const s = name.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) {
    const y = Number(m[1]);
    return { name: s, kind: 'year', start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  }
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(s))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return { name: `${y}-Q${q}`, kind: 'quarter', start: Date.UTC(y, (q - 1) * 3, 1), end: Date.UTC(y, q * 3, 1) };
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    return { name: s, kind: 'month', start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const start = parseInstant(s);
    return { name: s, kind: 'day', start, end: start + DAY_MS };
  }
  if (s.includes('/')) {
    const [from, to] = s.split('/');
    return rangePeriod(parseInstant(from ?? ''), parseInstant(to ?? ''));
  }
  throw new PeriodError(`period must be ${FORMS}; got ${JSON.stringify(name.slice(0, 60))}`);
}

/** Parse a date (`2026-10-01`, UTC midnight) or an RFC 3339 instant. */
export function parseInstant(text: string): number {
  const s = text.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const t = dateOnly ? Date.parse(`${s}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) ? Date.parse(s) : NaN;
  if (!Number.isFinite(t) || (dateOnly && new Date(t).toISOString().slice(0, 10) !== s)) {
    throw new PeriodError(`expected a date (2026-10-01) or an RFC 3339 time (2026-10-01T12:00:00Z), got ${JSON.stringify(s.slice(0, 60))}`);
  }
  return t;
}

/** The period [start, end); its name uses dates when both ends are midnights. */
export function rangePeriod(start: number, end: number): Period {
  if (!(end > start)) throw new PeriodError('the end of a period must be after its start');
  const label = (t: number) => (t % DAY_MS === 0 ? new Date(t).toISOString().slice(0, 10) : new Date(t).toISOString());
  return { name: `${label(start)}/${label(end)}`, kind: 'range', start, end };
}

/** The calendar period of `kind` that contains instant `at`. */
export function periodContaining(kind: 'year' | 'quarter' | 'month', at: number): Period {
  const d = new Date(at);
  const y = d.getUTCFullYear();
  if (kind === 'year') return parsePeriod(String(y));
  if (kind === 'quarter') return parsePeriod(`${y}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`);
  return parsePeriod(`${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
}

/** The calendar period of `kind` just before `p` (p itself a calendar period of that kind). */
export function previousPeriod(kind: 'year' | 'quarter' | 'month', p: Period): Period {
  return periodContaining(kind, p.start - 1);
}

/** The last complete calendar period of `kind` at instant `at`. */
export function lastCompletePeriod(kind: 'year' | 'quarter' | 'month', at: number): Period {
  return previousPeriod(kind, periodContaining(kind, at));
}

/** UTC day labels (`YYYY-MM-DD`) of every day that overlaps [start, end). */
export function daysOf(start: number, end: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(start / DAY_MS) * DAY_MS; t < end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
