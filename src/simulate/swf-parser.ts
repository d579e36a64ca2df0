/**
 * The Standard Workload Format (SWF) of the Parallel Workloads Archive.
 * Lines starting with `;` are header comments (UnixStartTime and MaxProcs are read from them); every other
 * non-blank line has 18 whitespace-separated numeric fields, -1 meaning unknown:
 *   1 job  2 submit  3 wait  4 run  5 alloc procs  6 avg cpu  7 used mem  8 req procs  9 req time
 *   10 req mem  11 status  12 user  13 group  14 executable  15 queue  16 partition  17 preceding job  18 think time
 * Record rule (stated in the report): a record whose run time is ≤ 0 or unknown never ran and is skipped
 * (most status-5 cancellations); failed (status 0) and cancelled-after-start records are kept with the run
 * time they really used, because they occupied the machine. Processors are the allocated count, else the
 * requested one; walltime is the requested time, else the run time.
 */
import { DomainError } from '../domain/errors.js';
import { countSkip, DEFAULT_START_EPOCH_MS, type RawJob, type Workload } from './workload-types.js';

const FIELD_COUNT = 18;
const FIELD_NAMES = [
  'job number', 'submit time', 'wait time', 'run time', 'allocated processors', 'average CPU time',
  'used memory', 'requested processors', 'requested time', 'requested memory', 'status', 'user id',
  'group id', 'executable number', 'queue number', 'partition number', 'preceding job', 'think time',
] as const;

/** Parser switches. */
export interface ParseOptions {
  /** Skip malformed lines and count them instead of failing on the first one. */
  lenient?: boolean;
  /** Stop after this many kept jobs. */
  limit?: number;
  /** Named in error messages. */
  fileName?: string;
}

/** Parse SWF text into a workload; throws DomainError `invalid` naming the line unless `lenient`. */
export function parseSwf(text: string, options: ParseOptions = {}): Workload {
  const workload: Workload = { format: 'swf', startEpochMs: DEFAULT_START_EPOCH_MS, jobs: [], skipped: {}, malformed: 0 };
  const file = options.fileName ?? 'workload';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (options.limit !== undefined && workload.jobs.length >= options.limit) break;
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith(';')) {
      readHeader(line, workload);
      continue;
    }
    const fields = parseFields(line);
    if (typeof fields === 'string') {
      if (options.lenient) {
        workload.malformed++;
        continue;
      }
      throw DomainError.invalid(`${file}:${i + 1}: ${fields}`, [{ path: `line ${i + 1}`, message: fields }], { line: i + 1 });
    }
    const job = toJob(fields, workload);
    if (job) workload.jobs.push(job);
  }
  return workload;
}

function readHeader(line: string, workload: Workload): void {
  const m = /^;\s*(\w+):\s*(-?\d+)\s*$/.exec(line);
  if (!m) return;
  const value = Number(m[2]);
  if (m[1] === 'UnixStartTime') workload.startEpochMs = value * 1000;
  else if (m[1] === 'MaxProcs' && value > 0) workload.maxProcessors = value;
  else if (m[1] === 'MaxNodes' && value > 0 && workload.maxProcessors === undefined) workload.maxProcessors = value;
}

/** The 18 numbers of a data line, or a message saying what is wrong with it. */
function parseFields(line: string): number[] | string {
  const parts = line.split(/\s+/);
  if (parts.length !== FIELD_COUNT) return `expected ${FIELD_COUNT} whitespace-separated fields, found ${parts.length}`;
  const out = new Array<number>(FIELD_COUNT);
  for (let f = 0; f < FIELD_COUNT; f++) {
    const v = Number(parts[f]);
    if (!Number.isFinite(v)) return `field ${f + 1} (${FIELD_NAMES[f]}) is not a number: ${JSON.stringify(parts[f])}`;
    out[f] = v;
  }
  return out;
}

function toJob(f: number[], workload: Workload): RawJob | undefined {
  const [id, submit, , run, alloc, , , reqProcs, reqTime, , , user, group] = f as [number, number, number, number, number, number, number, number, number, number, number, number, number];
  if (submit < 0) return skip(workload, 'unknown submit time');
  if (run <= 0) return skip(workload, 'never ran (run time <= 0 or unknown)');
  const procs = alloc > 0 ? alloc : reqProcs;
  if (procs <= 0) return skip(workload, 'unknown processors');
  return {
    id: `swf-${id}`,
    submitSeconds: submit,
    runSeconds: run,
    walltimeSeconds: reqTime > 0 ? reqTime : undefined,
    size: procs,
    sizeUnit: 'processors',
    user: user >= 0 ? `u${user}` : 'unknown',
    group: group >= 0 ? `g${group}` : 'unknown',
  };
}

function skip(workload: Workload, reason: string): undefined {
  countSkip(workload.skipped, reason);
  return undefined;
}
