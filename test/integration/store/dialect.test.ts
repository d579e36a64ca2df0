/** Both dialects return the same JS types, run transactions, count affected rows and serialise PGlite access. */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { getMeta, setMeta } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';

describeEachStore('dialect', (getDb) => {
  it('reads int8 as number, timestamptz as Date, jsonb parsed, arrays as arrays', async () => {
    const { rows } = await sql<{ n: unknown; ns: unknown; t: unknown; j: unknown; a: unknown; c: unknown }>`
      select 9007199254740991::int8 as n, array[1, 2, null]::int8[] as ns, '2026-01-01T00:00:00Z'::timestamptz as t,
             '{"a": [1, "x"]}'::jsonb as j, array['p', 'q'] as a, (select count(*) from meta where false) as c`.execute(getDb());
    const row = rows[0]!;
    expect(row.n).toBe(Number.MAX_SAFE_INTEGER);
    expect(row.ns).toEqual([1, 2, null]);
    expect(row.t).toBeInstanceOf(Date);
    expect((row.t as Date).getTime()).toBe(Date.UTC(2026, 0, 1));
    expect(row.j).toEqual({ a: [1, 'x'] });
    expect(row.a).toEqual(['p', 'q']);
    expect(row.c).toBe(0);
  });

  it('refuses int8 beyond 2^53 rather than rounding it', async () => {
    await expect(sql`select 9007199254740993::int8 as n`.execute(getDb())).rejects.toThrow(/beyond Number.MAX_SAFE_INTEGER/);
  });

  it('round-trips a Date parameter exactly and runs sessions in UTC', async () => {
    const at = new Date(Date.UTC(2026, 5, 30, 23, 59, 59, 123));
    const { rows } = await sql<{ t: Date; tz: string }>`select ${at}::timestamptz as t, current_setting('TimeZone') as tz`.execute(getDb());
    expect(rows[0]!.t.getTime()).toBe(at.getTime());
    expect(rows[0]!.tz).toBe('UTC');
  });

  it('reports affected rows of insert, update and delete', async () => {
    const db = getDb();
    const ins = await db.insertInto('meta').values([{ key: 'd-1', value: 'a' }, { key: 'd-2', value: 'a' }]).executeTakeFirst();
    expect(ins.numInsertedOrUpdatedRows).toBe(2n);
    const upd = await db.updateTable('meta').set({ value: 'b' }).where('key', 'in', ['d-1', 'd-2', 'd-none']).executeTakeFirst();
    expect(upd.numUpdatedRows).toBe(2n);
    const del = await db.deleteFrom('meta').where('key', '=', 'd-1').executeTakeFirst();
    expect(del.numDeletedRows).toBe(1n);
  });

  it('commits a transaction and rolls one back when its body throws', async () => {
    const db = getDb();
    await db.transaction().execute(async (trx) => setMeta(trx, 'tx-commit', 'yes'));
    await expect(
      db.transaction().execute(async (trx) => {
        await setMeta(trx, 'tx-rollback', 'no');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await getMeta(db, 'tx-commit')).toBe('yes');
    expect(await getMeta(db, 'tx-rollback')).toBeUndefined();
  });

  it('keeps concurrent work out of an open transaction (it sees either all or none of it)', async () => {
    const db = getDb();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.transaction().execute(async (trx) => {
      await setMeta(trx, 'iso-1', 'x');
      await gate;
      await setMeta(trx, 'iso-2', 'x');
      throw new Error('abort');
    });
    // An outside write while the transaction is open must not be rolled back with it.
    const outside = setMeta(db, 'iso-outside', 'kept');
    release();
    await expect(tx).rejects.toThrow('abort');
    await outside;
    expect(await getMeta(db, 'iso-1')).toBeUndefined();
    expect(await getMeta(db, 'iso-2')).toBeUndefined();
    expect(await getMeta(db, 'iso-outside')).toBe('kept');
  });

  it('supports controlled transactions with savepoints', async () => {
    const db = getDb();
    const trx = await db.startTransaction().execute();
    await setMeta(trx, 'sp-kept', '1');
    const sp = await trx.savepoint('inner').execute();
    await setMeta(sp, 'sp-undone', '1');
    await sp.rollbackToSavepoint('inner').execute();
    await trx.commit().execute();
    expect(await getMeta(db, 'sp-kept')).toBe('1');
    expect(await getMeta(db, 'sp-undone')).toBeUndefined();
  });
});
