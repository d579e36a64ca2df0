/** Periods and instants given by callers (bodies, query strings), as 400s naming the field when malformed. */
import { DomainError } from '../domain/errors.js';
import { parseInstant, parsePeriod, PeriodError, type Period } from '../reports/period.js';

/** A period from its name, or a 400 naming `field`. */
export function periodOrInvalid(name: string, field: string): Period {
  try {
    return parsePeriod(name);
  } catch (e) {
    if (e instanceof PeriodError) throw DomainError.invalid(`${field}: ${e.message}`, [{ path: field, message: e.message }]);
    throw e;
  }
}

/** An instant from a date or RFC 3339 text, or a 400 naming `field`. */
export function instantOrInvalid(text: string, field: string): number {
  try {
    return parseInstant(text);
  } catch (e) {
    if (e instanceof PeriodError) throw DomainError.invalid(`${field}: ${e.message}`, [{ path: field, message: e.message }]);
    throw e;
  }
}
