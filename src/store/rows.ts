/**
 * Small conversions between database rows and domain values, shared by the repositories:
 * the domain speaks epoch milliseconds and `undefined`; rows speak Date and `null`.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A database handle or an open transaction: every repository function takes either. */
export type Db = Kysely<Database>;

/** JSON text for a jsonb parameter. Both pg and PGlite pass strings through unchanged, so both store alike. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** Epoch milliseconds of a timestamptz value. */
export function ms(d: Date): number {
  return d.getTime();
}

/** Epoch milliseconds of a nullable timestamptz, `undefined` for null. */
export function optMs(d: Date | null): number | undefined {
  return d === null ? undefined : d.getTime();
}

/** A Date for a timestamptz parameter from epoch milliseconds. */
export function date(epochMs: number): Date {
  return new Date(epochMs);
}

/** Copy `obj` without keys whose value is undefined (domain objects leave optional fields out). */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Split rows into chunks small enough for one INSERT (PostgreSQL allows 65535 parameters). */
export function chunks<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
