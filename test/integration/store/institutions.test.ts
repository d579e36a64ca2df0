/** Institutions: cursor pagination walks every row once, bounds the limit, and rejects bad cursors. */
import { beforeAll, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../../src/domain/errors.js';
import type { Institution } from '../../../src/domain/types.js';
import { countInstitutions, encodeCursor, getInstitution, listInstitutions, writeGridSeed, type PageRequest } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { fixtureInstitutionId, gridFixture } from '../../helpers/grid-fixture.js';

const TOTAL = 23;

async function refusal(page: PageRequest, run: (p: PageRequest) => Promise<unknown>): Promise<DomainError> {
  const err = await run(page).catch((e: unknown) => e);
  if (!isDomainError(err)) throw new Error(`expected a DomainError for ${JSON.stringify(page)}`);
  return err;
}

describeEachStore('institutions', (getDb) => {
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture(TOTAL));
  });

  async function walk(limit: number): Promise<{ pages: Institution[][]; cursors: (string | undefined)[] }> {
    const pages: Institution[][] = [];
    const cursors: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page = await listInstitutions(getDb(), cursor === undefined ? { limit } : { limit, cursor });
      pages.push(page.items);
      cursors.push(page.nextCursor);
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 100);
    return { pages, cursors };
  }

  it('a cursor walk visits every institution once, in id order', async () => {
    const { pages } = await walk(5);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    const ids = pages.flat().map((i) => i.id);
    expect(ids).toEqual(Array.from({ length: TOTAL }, (_, i) => fixtureInstitutionId(i)));
    expect(await countInstitutions(getDb())).toBe(TOTAL);
  });

  it('when the rows divide evenly the last page carries no cursor and there is no empty page', async () => {
    const { pages, cursors } = await walk(23);
    expect(pages.map((p) => p.length)).toEqual([23]);
    expect(cursors).toEqual([undefined]);
  });

  it('the default page is 100 and a limit of 500 is accepted', async () => {
    expect((await listInstitutions(getDb())).items.length).toBe(TOTAL);
    expect((await listInstitutions(getDb(), { limit: 500 })).items.length).toBe(TOTAL);
    const one = await listInstitutions(getDb(), { limit: 1 });
    expect(one.items).toEqual([{ id: 'inst-00', name: 'Institute 0', shortName: 'I0', province: 'Punjab', city: 'Lahore', shares: 1 }]);
    expect(one.nextCursor).toBe(encodeCursor('inst-00'));
  });

  it('limits outside 1..500 or not whole are invalid and name `limit`', async () => {
    for (const limit of [0, 501, 2.5, -1]) {
      const err = await refusal({ limit }, (p) => listInstitutions(getDb(), p));
      expect([limit, err.code, err.details?.issues]).toEqual([limit, 'invalid', [{ path: 'limit', message: 'expected 1–500' }]]);
    }
  });

  it('a malformed or tampered cursor is invalid and names `cursor`', async () => {
    const tampered = Buffer.from('v2:inst-03').toString('base64url');
    for (const cursor of ['not a cursor!', tampered, 'AAAA', `${encodeCursor('inst-03')}x`]) {
      const err = await refusal({ cursor }, (p) => listInstitutions(getDb(), p));
      expect([cursor, err.code, (err.details?.issues as { path: string }[])[0]?.path]).toEqual([cursor, 'invalid', 'cursor']);
    }
  });

  it('a cursor past the last id gives an empty last page', async () => {
    expect(await listInstitutions(getDb(), { cursor: encodeCursor('zzz') })).toEqual({ items: [] });
  });

  it('gets one institution by id, or not_found', async () => {
    expect((await getInstitution(getDb(), 'inst-07')).name).toBe('Institute 7');
    const err = await getInstitution(getDb(), 'inst-99').catch((e: unknown) => e);
    expect(isDomainError(err) && [err.code, err.message]).toEqual(['not_found', 'institution "inst-99" does not exist']);
  });
});
