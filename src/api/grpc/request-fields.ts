/**
 * Reading ids and filters out of decoded requests. Ids are at most 200 printable characters (a table
 * check), so a longer one, or one with control characters, cannot name anything: it is answered without
 * a query — PostgreSQL would refuse a NUL with an error that is no fault of the server.
 */
import { DomainError } from '../../domain/errors.js';
import type { Request } from './call.js';

const MAX_ID = 200;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A non-empty string field, or undefined (proto3 sends "" for "not given"). */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The `id` of a Get/Cancel/Watch request: required; an impossible id is a NOT_FOUND like any unknown one. */
export function jobIdOf(req: Request): string {
  const id = text(req.id);
  if (id === undefined) throw DomainError.invalid('id is required', [{ path: 'id', message: 'required' }]);
  if (id.length > MAX_ID || CONTROL.test(id)) throw DomainError.notFound('job', id.length > 40 ? `${id.slice(0, 40)}…` : id);
  return id;
}

/** An optional filter id; an impossible one is refused naming the field. */
export function filterId(req: Request, field: string): string | undefined {
  const v = text(req[field]);
  if (v !== undefined && (v.length > MAX_ID || CONTROL.test(v))) {
    throw DomainError.invalid(`${field} is not a valid id`, [{ path: field, message: `expected at most ${MAX_ID} printable characters` }]);
  }
  return v;
}
