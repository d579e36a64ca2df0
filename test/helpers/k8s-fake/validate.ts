/**
 * Schema validation of what clients send, with the official Kubernetes OpenAPI schemas packaged by
 * `kubernetes-models`: an invalid object is answered 422 Invalid, as the real API server would.
 */
import { Job } from 'kubernetes-models/batch/v1';
import { Namespace, Node, Pod, Service } from 'kubernetes-models/v1';
import type { FakeObject, Kind } from './object-store.js';
import { HttpStatusError } from './status.js';

type Model = { validate(): void };
const MODELS: Record<Kind, new (data: never) => Model> = { Job, Namespace, Node, Pod, Service } as unknown as Record<Kind, new (data: never) => Model>;

/** Throw 422 Invalid when `obj` does not satisfy the schema of `kind`. */
export function validateObject(kind: Kind, obj: FakeObject): void {
  const apiVersion = kind === 'Job' ? 'batch/v1' : 'v1';
  // The models validate status too, which clients never own; only metadata and spec are checked.
  const data = { apiVersion, kind, metadata: obj.metadata, ...(obj.spec !== undefined ? { spec: obj.spec } : {}) };
  try {
    new MODELS[kind](data as never).validate();
  } catch (e) {
    throw new HttpStatusError('Invalid', `${kind} "${obj.metadata?.name ?? ''}" is invalid: ${(e as Error).message}`);
  }
}
