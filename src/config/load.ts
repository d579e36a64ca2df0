/**
 * Builds the configuration: defaults → YAML file (`--config FILE` or NCG_CONFIG) → NCG_* environment → flags.
 * Every problem names the key, where its value came from, and what is expected.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema.js';
import { envKeys, envNotConfig, flagKeys } from './sources.js';

/** A configuration that cannot be used; `problems` has one line per bad key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Inputs of the loader; only this module and the CLI read the environment. */
export interface ConfigInputs {
  env?: Record<string, string | undefined>;
  /** Path of a YAML file; falls back to env NCG_CONFIG. */
  configFile?: string;
  /** Dotted key → raw value, from flags (`--http-port`) or `--set key=value`. */
  overrides?: Record<string, string>;
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]!] = value;
}

function readFile(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`config file ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new ConfigError([`config file ${path}: not valid YAML: ${(e as Error).message}`]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError([`config file ${path}: expected a mapping of keys at the top level`]);
  return parsed as Tree;
}

function isNotConfig(name: string): boolean {
  return envNotConfig.some((p) => (typeof p === 'string' ? p === name : p.test(name)));
}

/** Load and validate the configuration; throws ConfigError naming every bad key. */
export function loadConfig(inputs: ConfigInputs = {}): Config {
  const env = inputs.env ?? {};
  const tree: Tree = {};
  const origin = new Map<string, string>();
  const problems: string[] = [];

  const file = inputs.configFile ?? env.NCG_CONFIG;
  if (file) {
    Object.assign(tree, readFile(file));
  }
  for (const [name, value] of Object.entries(env)) {
    // An empty variable counts as unset (shells often export NAME= to clear a value).
    if (value === undefined || value === '') continue;
    const key = envKeys[name];
    if (key) {
      setPath(tree, key, value);
      origin.set(key, `${name}=${JSON.stringify(value)}`);
    } else if (name.startsWith('NCG_') && !isNotConfig(name)) {
      problems.push(`${name}: unknown environment variable (known: ${Object.keys(envKeys).join(', ')})`);
    }
  }
  for (const [key, value] of Object.entries(inputs.overrides ?? {})) {
    setPath(tree, key, value);
    origin.set(key, `flag ${JSON.stringify(value)}`);
  }

  const result = configSchema.safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) problems.push(`${path ? `${path}.` : ''}${k}: unknown key${file ? ` (in ${file})` : ''}`);
        continue;
      }
      const from = origin.get(path) ?? (file ? `in ${file}` : 'default');
      problems.push(`${path || '(root)'} (${from}): ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data!;
}

/** Map CLI flag names (`http-port`) to dotted keys; `--set a.b=c` entries pass through. */
export function flagsToOverrides(flags: Record<string, unknown>, sets: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(flagKeys)) {
    const camel = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = flags[camel];
    if (v !== undefined) out[key] = String(v);
  }
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new ConfigError([`--set ${s}: expected key=value, e.g. --set scheduler.backfillDepth=20`]);
    out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}
