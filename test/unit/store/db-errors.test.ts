/** Database errors callers can act on become DomainErrors; the rest pass through. */
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { mapDbError } from '../../../src/store/db-errors.js';

function serverError(code: string, extra: Record<string, string> = {}): Error {
  return Object.assign(new Error(`server says ${code}`), { code, ...extra });
}

describe('mapDbError', () => {
  it('maps unique violations and append-only refusals to conflict, keeping the constraint', () => {
    const unique = mapDbError(serverError('23505', { constraint: 'jobs_dispatch_key_key', detail: 'Key (dispatch_key)=(d) already exists.' }));
    expect(isDomainError(unique) && [unique.code, unique.message, unique.details?.constraint]).toEqual([
      'conflict',
      'already exists: Key (dispatch_key)=(d) already exists.',
      'jobs_dispatch_key_key',
    ]);
    const appendOnly = mapDbError(serverError('NCG01'));
    expect(isDomainError(appendOnly) && appendOnly.code).toBe('conflict');
  });

  it('maps CHECK, NOT NULL, foreign key and bad text input to invalid', () => {
    for (const code of ['23514', '23502', '23503', '22P02', '22021']) {
      const mapped = mapDbError(serverError(code));
      expect([code, isDomainError(mapped) && mapped.code]).toEqual([code, 'invalid']);
    }
  });

  it('passes other errors through untouched', () => {
    const lost = serverError('08006');
    expect(mapDbError(lost)).toBe(lost);
    const plain = new Error('bug');
    expect(mapDbError(plain)).toBe(plain);
    expect(mapDbError('text')).toBe('text');
  });
});
