/** Structured logging with pino: one root logger per process, children per component. */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Create the root logger at the configured level (JSON lines on stdout). */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'ncg', ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
