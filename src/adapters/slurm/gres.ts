/**
 * Slurm generic-resource strings → GPUs by type. Nodes report `gres` (configured) and `gres_used`
 * (allocated) as comma lists such as `gpu:a100:4(S:0-1)` or `gpu:a100:2(IDX:0-1),gpu:h100:0(IDX:N/A)`;
 * index lists inside parentheses may contain commas themselves.
 */

/** One entry of a gres list. */
export interface GresEntry {
  name: string;
  /** Undefined for untyped entries such as `gpu:4`. */
  type?: string;
  count: number;
}

/** Split on commas outside parentheses. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const unitFactor: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Parse one entry (`gpu:a100:4(S:0-1)`); undefined for empty markers like `(null)` or `N/A`. */
export function parseGresEntry(text: string): GresEntry | undefined {
  const bare = text.replace(/\(.*\)$/, '').trim();
  if (bare === '' || bare === 'N/A' || bare.startsWith('(')) return undefined;
  const fields = bare.split(':');
  const name = fields[0] ?? '';
  const last = fields[fields.length - 1] ?? '';
  const countMatch = /^(\d+)([KMG]?)$/.exec(last);
  if (fields.length === 1) return { name, count: 1 }; // `gpu` alone means one
  if (!countMatch) return { name, type: fields.slice(1).join(':'), count: 1 }; // `gpu:a100` means one a100
  const count = Number(countMatch[1]) * (unitFactor[countMatch[2] ?? ''] ?? 1);
  const type = fields.length > 2 ? fields.slice(1, -1).join(':') : undefined;
  return type === undefined ? { name, count } : { name, type, count };
}

/** Every entry of a gres list. */
export function parseGres(text: string): GresEntry[] {
  return splitTopLevel(text ?? '')
    .map(parseGresEntry)
    .filter((e): e is GresEntry => e !== undefined);
}

/** GPUs by type in a gres list; untyped GPUs count under `defaultType`. */
export function gpusByType(text: string, defaultType: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of parseGres(text)) {
    if (e.name !== 'gpu') continue;
    const type = e.type ?? defaultType;
    out.set(type, (out.get(type) ?? 0) + e.count);
  }
  return out;
}
