/**
 * Immutable KPI snapshots: the Pillar-5 document of a closed period, stored with the SHA-256 of its
 * canonical JSON (src/reports/canonical.ts). The table refuses UPDATE and DELETE (migration 0003) and
 * holds one snapshot per (kind, period) (0005), so replicas firing the same schedule write it once.
 * Listing re-hashes every stored content: `verified` is false if a row's content no longer matches its hash.
 */
import { insertSnapshot, listSnapshots, type SnapshotRecord } from '../store/repositories/kpi-snapshots.js';
import type { Db } from '../store/rows.js';
import { contentHash } from './canonical.js';
import { lastCompletePeriod, parsePeriod, previousPeriod, type Period } from './period.js';
import type { Pillar5Report } from './pillar5.js';

/** The kind of every Pillar-5 snapshot (period names tell months, quarters and years apart). */
export const SNAPSHOT_KIND = 'pillar5';

/** A snapshot as listed: metadata, the stored hash and whether the content still matches it. */
export interface SnapshotSummary {
  id: number;
  kind: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  sha256: string;
  createdAt: string;
  verified: boolean;
}

/** True when the content hashes to the stored SHA-256. */
export function verifySnapshot(s: Pick<SnapshotRecord, 'content' | 'sha256'>): boolean {
  return contentHash(s.content) === s.sha256;
}

/** The listed form of a stored snapshot, verified now. */
export function summarise(s: SnapshotRecord): SnapshotSummary {
  const iso = (t: number) => new Date(t).toISOString();
  return { id: s.id, kind: s.kind, period: s.period, periodStart: iso(s.periodStart), periodEnd: iso(s.periodEnd), sha256: s.sha256, createdAt: iso(s.createdAt), verified: verifySnapshot(s) };
}

/** Snapshots, newest first, each re-verified. */
export async function listVerifiedSnapshots(db: Db, kind?: string): Promise<SnapshotSummary[]> {
  return (await listSnapshots(db, kind)).map(summarise);
}

/** Write the snapshot of `period` (no-op when it exists). */
export async function writeSnapshot(db: Db, doc: Pillar5Report, period: Period): Promise<{ snapshot: SnapshotRecord; created: boolean }> {
  return insertSnapshot(db, { kind: SNAPSHOT_KIND, period: period.name, periodStart: period.start, periodEnd: period.end, content: doc, sha256: contentHash(doc) });
}

/**
 * Closed periods of `kind` a schedule should have snapshotted by `now` but has not: walking back from the
 * last closed one until a written period (at most `limit`), oldest first. When no period of this kind was
 * ever written, only the last closed one: a new installation does not backfill history it was not there for.
 */
export function missedPeriods(kind: 'year' | 'quarter' | 'month', now: number, written: ReadonlySet<string>, limit: number): Period[] {
  const last = lastCompletePeriod(kind, now);
  const everOfKind = [...written].some((name) => periodKindOf(name) === kind);
  if (!everOfKind) return limit > 0 && !written.has(last.name) ? [last] : [];
  const out: Period[] = [];
  for (let p = last; !written.has(p.name) && out.length < limit; p = previousPeriod(kind, p)) out.push(p);
  return out.reverse();
}

function periodKindOf(name: string): string | undefined {
  try {
    return parsePeriod(name).kind;
  } catch {
    return undefined;
  }
}
