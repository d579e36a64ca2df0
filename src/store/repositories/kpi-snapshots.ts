/**
 * KPI snapshots (append-only since migration 0003, one per (kind, period) since 0005): the content as
 * written and its SHA-256. This file stores and reads; hashing and verifying are src/reports/snapshots.
 */
import { sql } from 'kysely';
import { date, json, ms, type Db } from '../rows.js';

/** A snapshot to write. */
export interface NewSnapshot {
  kind: string;
  period: string;
  periodStart: number;
  periodEnd: number;
  content: unknown;
  sha256: string;
}

/** A stored snapshot: what was written, with its id and when. */
export interface SnapshotRecord extends NewSnapshot {
  id: number;
  createdAt: number;
}

/** Write a snapshot unless one of that kind and period exists; returns the stored one either way, and whether it was new. */
export async function insertSnapshot(db: Db, s: NewSnapshot): Promise<{ snapshot: SnapshotRecord; created: boolean }> {
  const inserted = await db
    .insertInto('kpi_snapshots')
    .values({ kind: s.kind, period: s.period, period_start: date(s.periodStart), period_end: date(s.periodEnd), content: json(s.content), sha256: s.sha256 })
    .onConflict((oc) => oc.columns(['kind', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const found = await findSnapshot(db, s.kind, s.period);
  if (!found) throw new Error(`snapshot ${s.kind} ${s.period} vanished after insert`);
  return { snapshot: found, created: inserted !== undefined };
}

function fromRow(r: { id: number; kind: string; period: string; period_start: Date; period_end: Date; content: unknown; sha256: string; created_at: Date }): SnapshotRecord {
  return { id: Number(r.id), kind: r.kind, period: r.period, periodStart: ms(r.period_start), periodEnd: ms(r.period_end), content: r.content, sha256: r.sha256, createdAt: ms(r.created_at) };
}

/** The snapshot of `kind` for `period`, if written. */
export async function findSnapshot(db: Db, kind: string, period: string): Promise<SnapshotRecord | undefined> {
  const r = await db.selectFrom('kpi_snapshots').selectAll().where('kind', '=', kind).where('period', '=', period).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Snapshots, newest period first, optionally of one kind (contents included: they are small). */
export async function listSnapshots(db: Db, kind?: string, limit = 200): Promise<SnapshotRecord[]> {
  let q = db.selectFrom('kpi_snapshots').selectAll();
  if (kind !== undefined) q = q.where('kind', '=', kind);
  const rows = await q.orderBy('period_start', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(fromRow);
}

/** Names of every period written for `kind` (for catching up missed schedules). */
export async function snapshotPeriods(db: Db, kind: string): Promise<Set<string>> {
  const r = await sql<{ period: string }>`select period from kpi_snapshots where kind = ${kind}`.execute(db);
  return new Set(r.rows.map((x) => x.period));
}
