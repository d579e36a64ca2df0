/**
 * The POST /v1/jobs body that `ncg submit` sends: a YAML/JSON job file (REST body keys) as the base, the
 * flags on top, the command after `--` last. Only the shape of each flag is checked here (a number where
 * a number belongs); what values are allowed is the server's to say, with its own messages.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDurationSeconds } from '../domain/duration.js';
import { CliError, EXIT } from './client.js';

/** The flags of `ncg submit` as commander parses them. */
export interface SubmitFlags {
  file?: string;
  name?: string;
  project?: string;
  gpus?: string;
  nodes?: string;
  gpuType?: string;
  cpus?: string;
  mem?: string;
  walltime?: string;
  qos?: string;
  site?: string;
  image?: string;
  script?: string;
  env: string[];
  simDuration?: string;
  simExitCode?: string;
}

type Body = Record<string, unknown>;

const usage = (message: string) => new CliError(message, EXIT.usage);

/** A whole number flag. */
export function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw usage(`${flag}: expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Memory per node in GB: `64`, `64G`, `64GB`, `512M`, `1T`. */
export function memoryGb(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|mb|mi|mib|g|gb|gi|gib|t|tb|ti|tib)?$/i.exec(value.trim());
  if (!m) throw usage(`--mem: expected GB per node like 64, 64G or 512M, got ${JSON.stringify(value)}`);
  const unit = (m[2] ?? 'g').toLowerCase()[0];
  const factor = unit === 'm' ? 1 / 1024 : unit === 't' ? 1024 : 1;
  return Number(m[1]) * factor;
}

/** `any`, one type, or a comma-separated list. */
export function gpuTypes(value: string): string | string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw usage('--gpu-type: expected any, a GPU type, or a comma-separated list of types');
  return list.length === 1 ? list[0]! : list;
}

/** `K=V` pairs into an object (V may contain `=`). */
export function envPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--env: expected NAME=value, got ${JSON.stringify(pair)}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** The job file as an object of REST body keys. */
export function readJobFile(path: string): Body {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw usage(`cannot read job file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw usage(`job file ${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw usage(`job file ${path} must be a mapping of job fields (name, project, gpuType, …)`);
  return doc as Body;
}

function readScript(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw usage(`cannot read --script ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The sim block: the file's, with --sim-duration / --sim-exit-code on top. */
function simBlock(base: unknown, flags: SubmitFlags): unknown {
  if (flags.simDuration === undefined && flags.simExitCode === undefined) return base;
  const sim: Body = typeof base === 'object' && base !== null ? { ...(base as Body) } : {};
  if (flags.simDuration !== undefined) {
    const seconds = parseDurationSeconds(flags.simDuration);
    if (seconds === undefined) throw usage(`--sim-duration: expected a duration like 30s, 5m or 1h, got ${JSON.stringify(flags.simDuration)}`);
    sim.durationSeconds = seconds;
  }
  if (flags.simExitCode !== undefined) sim.exitCode = wholeNumber('--sim-exit-code', flags.simExitCode);
  return sim;
}

/** The body from the file, the flags and the command; `project` may still be missing (the caller fills it). */
export function submitBody(flags: SubmitFlags, command: string[]): Body {
  const body: Body = flags.file ? readJobFile(flags.file) : {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  set('name', flags.name);
  set('project', flags.project);
  set('gpusPerNode', flags.gpus === undefined ? undefined : wholeNumber('--gpus', flags.gpus));
  set('nodes', flags.nodes === undefined ? undefined : wholeNumber('--nodes', flags.nodes));
  set('gpuType', flags.gpuType === undefined ? undefined : gpuTypes(flags.gpuType));
  set('cpusPerNode', flags.cpus === undefined ? undefined : wholeNumber('--cpus', flags.cpus));
  set('memoryGbPerNode', flags.mem === undefined ? undefined : memoryGb(flags.mem));
  set('walltime', flags.walltime);
  set('qos', flags.qos);
  set('preferredSite', flags.site);
  set('image', flags.image);
  set('script', flags.script === undefined ? undefined : readScript(flags.script));
  if (flags.env.length > 0) body.env = { ...(typeof body.env === 'object' && body.env !== null ? (body.env as Body) : {}), ...envPairs(flags.env) };
  set('sim', simBlock(body.sim, flags));
  if (command.length > 0) body.command = command;
  return body;
}
