/**
 * Loading `--workload FILE` by its extension: `.swf` (Standard Workload Format), `.csv`, or `.yaml`/`.yml`
 * (a synthetic generator, seeded by `--seed`, else the file's `seed`, else 1). A trailing `.gz` is
 * decompressed first, so archive traces can be used as downloaded.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { parseCsv } from './csv-parser.js';
import type { SimGrid } from './sim-grid.js';
import { parseSwf } from './swf-parser.js';
import { generateSynthetic } from './synthetic-generator.js';
import { syntheticSchema } from './synthetic-schema.js';
import type { Workload } from './workload-types.js';
import { readYaml } from './yaml-input.js';

/** Options of `--workload`. */
export interface LoadOptions {
  lenient?: boolean;
  limit?: number;
  seed?: number;
}

/** Read and parse a workload file (synthetic ones need the grid's institutions for their default mix). */
export function loadWorkloadFile(path: string, grid: SimGrid, options: LoadOptions = {}): Workload {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw DomainError.invalid(`--workload ${path}: cannot read: ${(e as Error).message}`);
  }
  const gz = path.endsWith('.gz');
  const text = (gz ? gunzipSync(raw) : raw).toString('utf8');
  const name = gz ? path.slice(0, -3) : path;
  return parseWorkloadText(text, basename(name), grid, options);
}

/** Parse workload text whose format is given by `fileName`'s extension. */
export function parseWorkloadText(text: string, fileName: string, grid: SimGrid, options: LoadOptions = {}): Workload {
  const ext = fileName.toLowerCase().replace(/^.*\./, '');
  const parse = { lenient: options.lenient, limit: options.limit, fileName };
  if (ext === 'swf') return parseSwf(text, parse);
  if (ext === 'csv') return parseCsv(text, parse);
  if (ext === 'yaml' || ext === 'yml') {
    const spec = readYaml(text, syntheticSchema, fileName);
    const w = generateSynthetic(spec, options.seed ?? spec.seed ?? 1, grid.institutions.map((i) => ({ id: i.id, weight: i.shares })));
    if (options.limit !== undefined) w.jobs = w.jobs.slice(0, options.limit);
    return w;
  }
  throw DomainError.invalid(`--workload ${fileName}: unknown format; use .swf, .csv or .yaml (optionally .gz)`);
}
