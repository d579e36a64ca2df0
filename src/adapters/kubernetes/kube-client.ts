/**
 * The official client, loaded from a kubeconfig (file + context) or the pod's service account, and the
 * translation of its failures into the port's two errors: transient (5xx, 429, timeouts, resets) become
 * ClusterUnavailableError and are retried a few times; permanent refusals (400, 403, 422) become
 * ClusterRefusedError. 404 and 409 are answers, not failures, and the callers handle them.
 */
import { ApiException, BatchV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { ClusterRefusedError, ClusterUnavailableError } from '../port.js';
import type { KubernetesClusterConfig } from './config.js';

/** The API clients one adapter uses, all built from the same KubeConfig. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  batch: BatchV1Api;
  watch: Watch;
  /** The API server URL (for messages). */
  server: string;
}

/** Load credentials the way the config says; a missing file or context is a configuration error, thrown now. */
export function loadKubeClients(config: Pick<KubernetesClusterConfig, 'inCluster' | 'kubeconfig' | 'context'>): KubeClients {
  const kc = new KubeConfig();
  if (config.inCluster) kc.loadFromCluster();
  else if (config.kubeconfig !== undefined) kc.loadFromFile(config.kubeconfig);
  else throw new Error('kubernetes cluster config: set kubeconfig or inCluster: true');
  if (config.context !== undefined) {
    if (!kc.getContextObject(config.context)) throw new Error(`kubeconfig ${config.kubeconfig ?? '(in-cluster)'} has no context ${JSON.stringify(config.context)}`);
    kc.setCurrentContext(config.context);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`kubeconfig ${config.kubeconfig ?? '(in-cluster)'}: the current context names no cluster server`);
  return { kc, core: kc.makeApiClient(CoreV1Api), batch: kc.makeApiClient(BatchV1Api), watch: new Watch(kc), server };
}

/** A failed API call, classified. */
export interface KubeFailure {
  /** HTTP status when the server answered. */
  code?: number;
  /** The `Status.reason` (`AlreadyExists`, `NotFound`, `Expired`, …) when the server sent one. */
  reason?: string;
  message: string;
  /** Worth retrying: the server was unreachable, overloaded or failed internally. */
  transient: boolean;
}

/** What went wrong, from an ApiException, a network error or a timeout. */
export function classify(e: unknown): KubeFailure {
  if (e instanceof ApiException) {
    const code = e.code as number;
    const body: unknown = e.body;
    const status = typeof body === 'object' && body !== null ? (body as { reason?: string; message?: string }) : undefined;
    const message = status?.message ?? (typeof body === 'string' && body !== '' ? body : `HTTP ${code}`);
    return { code, reason: status?.reason, message, transient: code >= 500 || code === 429 || code === 408 };
  }
  const err = e as { message?: string; code?: string };
  return { message: err?.message ?? String(e), transient: true };
}

/** True when the call failed with this HTTP status. */
export function isStatus(e: unknown, code: number): boolean {
  return e instanceof ApiException && e.code === code;
}

/** The port's error for a failure that is not handled as an answer. */
export function toPortError(e: unknown, what: string): Error {
  if (e instanceof ClusterUnavailableError || e instanceof ClusterRefusedError) return e;
  const f = classify(e);
  const detail = `${what}: ${f.code !== undefined ? `HTTP ${f.code} ` : ''}${f.message}`;
  return f.transient ? new ClusterUnavailableError(detail) : new ClusterRefusedError(detail);
}

/** How one adapter calls the API: a per-call timeout and a few quick retries of transient failures. */
export interface CallPolicy {
  timeoutMs: number;
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** First retry delay; doubled each time. */
  baseDelayMs: number;
}

/** Settle within `ms` or fail as unreachable (the request itself cannot be cancelled through the client). */
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClusterUnavailableError(`${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run `op` with the timeout, retrying transient failures. Every caller's operation is safe to repeat:
 * reads are, deletes treat 404 as done, and a create that reached the server comes back as 409 and is
 * adopted by its idempotency key. Non-transient failures are rethrown as they are, for the caller to judge.
 */
export async function call<T>(policy: CallPolicy, what: string, op: () => Promise<T>, onRetry?: (f: KubeFailure) => void): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return await withTimeout(op(), policy.timeoutMs, what);
    } catch (e) {
      last = e;
      const f = e instanceof ClusterUnavailableError ? { message: e.message, transient: true } : classify(e);
      if (!f.transient) throw e;
      onRetry?.(f);
      if (attempt < policy.attempts) await new Promise((r) => setTimeout(r, policy.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
  throw toPortError(last, what);
}
