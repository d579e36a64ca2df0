/**
 * Slurm hostlist expressions → node names: `node[1-2,5]` → node1, node2, node5; zero padding is kept
 * (`gpu[08-10]` → gpu08, gpu09, gpu10); several bracket groups multiply (`r[1-2]n[1-2]`).
 */
import { splitTopLevel } from './gres.js';

/** Expand a hostlist (empty or `(null)` gives no names). */
export function expandHostlist(hostlist: string): string[] {
  const text = (hostlist ?? '').trim();
  if (text === '' || text === '(null)' || text === 'None assigned') return [];
  return splitTopLevel(text).flatMap(expandOne);
}

function expandOne(pattern: string): string[] {
  const open = pattern.indexOf('[');
  if (open < 0) return [pattern];
  const close = pattern.indexOf(']', open);
  if (close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tails = expandOne(pattern.slice(close + 1));
  const out: string[] = [];
  for (const item of pattern.slice(open + 1, close).split(',')) {
    for (const value of expandRange(item.trim())) {
      for (const tail of tails) out.push(`${head}${value}${tail}`);
    }
  }
  return out;
}

function expandRange(item: string): string[] {
  const m = /^(\d+)-(\d+)$/.exec(item);
  if (!m) return [item];
  const [from, to] = [m[1]!, m[2]!];
  const width = from.length;
  const out: string[] = [];
  for (let i = Number(from); i <= Number(to); i++) out.push(String(i).padStart(width, '0'));
  return out;
}
