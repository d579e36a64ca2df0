import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../../src/api/rest/errors.js';
import { DomainError } from '../../../src/domain/errors.js';
import { pageParams, onlyParams } from '../../../src/api/rest/query.js';

describe('toErrorResponse', () => {
  it('maps every domain code to its status', () => {
    const cases: [DomainError, number][] = [
      [DomainError.invalid('bad'), 400],
      [new DomainError('unauthenticated', 'x'), 401],
      [new DomainError('forbidden', 'x'), 403],
      [DomainError.notFound('job', 'j1'), 404],
      [new DomainError('conflict', 'x'), 409],
      [new DomainError('budget_exhausted', 'x'), 422],
      [new DomainError('unavailable', 'x'), 503],
    ];
    for (const [err, status] of cases) expect(toErrorResponse(err).status).toBe(status);
  });

  it('keeps details and hides internals of unexpected errors', () => {
    expect(toErrorResponse(DomainError.invalid('bad', [{ path: 'a', message: 'b' }])).body).toEqual({
      error: { code: 'invalid', message: 'bad', details: { issues: [{ path: 'a', message: 'b' }] } },
    });
    const r = toErrorResponse(new Error('select * from secret_table failed'));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret_table');
  });

  it('answers a lost database with 503 unavailable and Retry-After, a failed statement still with 500', () => {
    const lost = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
    ];
    for (const err of lost) {
      expect(toErrorResponse(err), err.message).toEqual({ status: 503, body: { error: { code: 'unavailable', message: 'the database is unreachable; retry shortly', details: { retryAfterSeconds: 1 } } } });
    }
    expect(toErrorResponse(Object.assign(new Error('division by zero'), { code: '22012' })).status).toBe(500);
    expect(toErrorResponse(new Error('Connection to the moon')).status).toBe(500);
  });

  it('maps body-parser failures', () => {
    expect(toErrorResponse({ type: 'entity.too.large', limit: 10 }).status).toBe(413);
    expect(toErrorResponse({ type: 'entity.parse.failed' }).status).toBe(400);
  });
});

describe('query parameters', () => {
  it('bounds limit and names the parameter', () => {
    expect(pageParams({})).toEqual({ limit: 100 });
    expect(pageParams({ limit: '500', cursor: 'abc' })).toEqual({ limit: 500, cursor: 'abc' });
    for (const bad of ['0', '501', 'x', '-1', '1.5']) expect(() => pageParams({ limit: bad })).toThrow(/limit/);
    expect(() => pageParams({ limit: ['1', '2'] })).toThrow(/limit must be given once/);
  });

  it('refuses unknown parameters', () => {
    expect(() => onlyParams({ limt: '1' }, ['limit'])).toThrow(/unknown query parameter "limt"/);
    expect(() => onlyParams({ limit: '1' }, ['limit'])).not.toThrow();
  });
});
