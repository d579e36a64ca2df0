/**
 * The meter on a timer: node-cron runs a scheduled pass on `metering.schedule` (every minute by default),
 * never two at once. Passes are safe to run from several ncg processes (every write is keyed and
 * idempotent); `isLeader` merely spares the followers the work.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { MeterLogger } from './meter.js';
import type { MeterReport } from './meter-report.js';

/** What the schedule runs and reports to. */
export interface MeterScheduleOptions {
  /** node-cron expression. */
  expression: string;
  /** One scheduled pass (runScheduledPass bound to its deps). */
  pass: () => Promise<MeterReport>;
  /** Skip passes while this says false (a follower). Default always true. */
  isLeader?: () => boolean;
  log?: MeterLogger;
}

/** A running schedule. */
export interface MeterSchedule {
  /** Run a pass now (awaits it; joins a pass already running). */
  runNow(): Promise<MeterReport | undefined>;
  /** Stop the timer and wait for a running pass to finish. */
  stop(): Promise<void>;
}

/** Start the schedule. */
export function startMeterSchedule(options: MeterScheduleOptions): MeterSchedule {
  let running: Promise<MeterReport | undefined> | undefined;
  const runNow = (): Promise<MeterReport | undefined> => {
    if (running) return running;
    if (options.isLeader && !options.isLeader()) return Promise.resolve(undefined);
    running = options
      .pass()
      .then((report) => {
        if (report.errors.length > 0) options.log?.warn({ errors: report.errors.slice(0, 5), pending: report.windowsPending }, 'metering pass finished with errors');
        return report;
      })
      .catch((err: unknown) => {
        options.log?.error({ err: (err as Error).message }, 'metering pass failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const task: ScheduledTask = cron.schedule(expressionOrThrow(options.expression), () => void runNow(), { name: 'ncg-meter', noOverlap: true });
  return {
    runNow,
    async stop() {
      await task.destroy();
      await running;
    },
  };
}

function expressionOrThrow(expression: string): string {
  if (!cron.validate(expression)) throw new Error(`metering.schedule ${JSON.stringify(expression)} is not a valid cron expression`);
  return expression;
}
