/** Numeric flags of the admin commands, checked before anything is sent (a bad value exits 2). */
import { CliError, EXIT } from '../client.js';

/** A number ≥ 0 from a flag, or a usage error naming the flag. */
export function gpuHoursFlag(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new CliError(`${flag} must be a number of GPU-hours (0 or more), got ${JSON.stringify(value)}`, EXIT.usage);
  return n;
}

/** A whole number ≥ 0 from a flag, or a usage error naming the flag. */
export function wholeFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new CliError(`${flag} must be a whole number, got ${JSON.stringify(value)}`, EXIT.usage);
  return n;
}
