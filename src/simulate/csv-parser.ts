/**
 * The CSV workload format, easy to convert published GPU-cluster traces into:
 *   submit_time,duration,gpus[,gpu_type][,institution][,user][,walltime][,nodes]
 * A header row naming the columns is required (any order; the three first are mandatory); times are seconds,
 * taken relative to the earliest submit. Empty optional cells mean "not given": walltime defaults to the
 * duration, gpu_type to any, nodes to a shape derived from the grid's node sizes. Cells are plain (no quoting).
 */
import { DomainError } from '../domain/errors.js';
import type { ParseOptions } from './swf-parser.js';
import { countSkip, DEFAULT_START_EPOCH_MS, type RawJob, type Workload } from './workload-types.js';

const REQUIRED = ['submit_time', 'duration', 'gpus'] as const;
const OPTIONAL = ['gpu_type', 'institution', 'user', 'walltime', 'nodes'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL]);

/** Parse CSV text into a workload; throws DomainError `invalid` naming the line unless `lenient`. */
export function parseCsv(text: string, options: ParseOptions = {}): Workload {
  const file = options.fileName ?? 'workload';
  const lines = text.split('\n');
  let headerLine = lines.findIndex((l) => l.trim() !== '');
  if (headerLine < 0) throw DomainError.invalid(`${file}: empty CSV (a header row is required)`);
  const header = lines[headerLine]!.trim().split(',').map((h) => h.trim().toLowerCase());
  for (const name of header) {
    if (!KNOWN.has(name)) {
      throw DomainError.invalid(`${file}:${headerLine + 1}: unknown column ${JSON.stringify(name)}; expected ${[...KNOWN].join(', ')}`);
    }
  }
  for (const name of REQUIRED) {
    if (!header.includes(name)) throw DomainError.invalid(`${file}:${headerLine + 1}: the header must name column ${JSON.stringify(name)}`);
  }
  const col = new Map<Column, number>(header.map((h, i) => [h as Column, i]));
  const workload: Workload = { format: 'csv', startEpochMs: DEFAULT_START_EPOCH_MS, jobs: [], skipped: {}, malformed: 0 };
  headerLine++;
  for (let i = headerLine; i < lines.length; i++) {
    if (options.limit !== undefined && workload.jobs.length >= options.limit) break;
    const line = lines[i]!.trim();
    if (line === '') continue;
    const job = parseRow(line.split(',').map((c) => c.trim()), header.length, col, i + 1);
    if (typeof job === 'string') {
      if (options.lenient) {
        workload.malformed++;
        continue;
      }
      throw DomainError.invalid(`${file}:${i + 1}: ${job}`, [{ path: `line ${i + 1}`, message: job }], { line: i + 1 });
    }
    if (job.runSeconds <= 0) countSkip(workload.skipped, 'never ran (duration <= 0)');
    else workload.jobs.push(job);
  }
  // Times are relative to the earliest submit, so epoch-second traces and relative ones read the same.
  let min = Infinity;
  for (const j of workload.jobs) min = Math.min(min, j.submitSeconds);
  if (Number.isFinite(min) && min !== 0) for (const j of workload.jobs) j.submitSeconds -= min;
  return workload;
}

function parseRow(cells: string[], width: number, col: Map<Column, number>, lineNo: number): RawJob | string {
  if (cells.length !== width) return `expected ${width} cells as in the header, found ${cells.length}`;
  const cell = (c: Column): string | undefined => {
    const i = col.get(c);
    const v = i === undefined ? undefined : cells[i];
    return v === undefined || v === '' ? undefined : v;
  };
  const num = (c: Column, min: number, integer: boolean): number | string | undefined => {
    const raw = cell(c);
    if (raw === undefined) return undefined;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      return `${c} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(raw)}`;
    }
    return v;
  };
  const submit = num('submit_time', 0, false);
  const duration = num('duration', 0, false);
  const gpus = num('gpus', 1, true);
  const walltime = num('walltime', 1, false);
  const nodes = num('nodes', 1, true);
  for (const v of [submit, duration, gpus, walltime, nodes]) if (typeof v === 'string') return v;
  if (submit === undefined) return 'submit_time is empty';
  if (duration === undefined) return 'duration is empty';
  if (gpus === undefined) return 'gpus is empty';
  if (typeof nodes === 'number' && (gpus as number) % nodes !== 0) return `gpus (${gpus}) must be a multiple of nodes (${nodes})`;
  const gpuType = cell('gpu_type');
  return {
    id: `csv-${lineNo}`,
    submitSeconds: submit as number,
    runSeconds: duration as number,
    walltimeSeconds: walltime as number | undefined,
    size: gpus as number,
    sizeUnit: 'gpus',
    nodes: nodes as number | undefined,
    gpuType: gpuType === undefined || gpuType === 'any' ? undefined : gpuType,
    institution: cell('institution'),
    user: cell('user'),
  };
}
