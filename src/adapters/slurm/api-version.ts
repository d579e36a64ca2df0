/**
 * The version layer: which slurmrestd OpenAPI version to speak. slurmrestd publishes its document at
 * `/openapi/v3`; its paths name the versions it loaded (`/slurm/v0.0.38/ping`). Adding v0.0.39+ is one
 * more mapping file registered in `mappings` and its version added to `supportedSlurmApiVersions`.
 */
import { apiV0038 } from './api-v0-0-38.js';
import { supportedSlurmApiVersions, type SlurmApiVersion } from './config.js';
import type { SlurmApiMapping } from './model.js';

/** The mapping of each supported version. */
export const mappings: Record<SlurmApiVersion, SlurmApiMapping> = {
  '0.0.38': apiV0038,
};

/** Path of slurmrestd's OpenAPI document. */
export const openApiPath = '/openapi/v3';

/** Versions of the `slurm` plugin (not `slurmdb`) an OpenAPI document offers, e.g. `['0.0.37', '0.0.38']`. */
export function offeredVersions(openApiDocument: unknown): string[] {
  const paths = (openApiDocument as { paths?: unknown } | null)?.paths;
  if (typeof paths !== 'object' || paths === null) return [];
  const found = new Set<string>();
  for (const path of Object.keys(paths)) {
    const m = /^\/slurm\/v(\d+\.\d+\.\d+)\//.exec(path);
    if (m?.[1]) found.add(m[1]);
  }
  return [...found].sort(compareVersions);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function isSupported(v: string): v is SlurmApiVersion {
  return (supportedSlurmApiVersions as readonly string[]).includes(v);
}

/**
 * Choose the version to speak: the configured one if the server offers it, or with `auto` the newest
 * supported one it offers. Returns an explanation instead when there is none.
 */
export function chooseVersion(
  configured: 'auto' | SlurmApiVersion,
  offered: string[],
): { ok: true; mapping: SlurmApiMapping } | { ok: false; message: string } {
  const supported = supportedSlurmApiVersions.join(', ');
  const offers = offered.length ? offered.map((v) => `v${v}`).join(', ') : 'no slurm API paths';
  if (configured !== 'auto') {
    if (offered.includes(configured)) return { ok: true, mapping: mappings[configured] };
    return { ok: false, message: `apiVersion ${configured} is configured but slurmrestd offers ${offers} (start it with -s openapi/v${configured})` };
  }
  const usable = offered.filter(isSupported);
  const newest = usable[usable.length - 1];
  if (newest) return { ok: true, mapping: mappings[newest] };
  return { ok: false, message: `slurmrestd offers ${offers}; ncg supports v${supported.replaceAll(', ', ', v')} — unsupported Slurm REST API version` };
}
