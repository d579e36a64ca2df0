/**
 * The standard gRPC health service (`grpc.health.v1.Health`, proto/grpc/health/v1/health.proto) so
 * Kubernetes probes, load balancers and grpc_health_probe can ask whether ncg is ready. It needs no token:
 * probes carry none, and the answer reveals nothing. SERVING means the same as REST's /readyz (database
 * reachable, migrations applied); while the server shuts down every service is NOT_SERVING.
 */
import * as grpc from '@grpc/grpc-js';
import { toServiceError, type ErrorLog } from './errors.js';
import { isUndecodable } from './safe-decode.js';

type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** What the health service needs. */
export interface HealthDeps {
  /** The services this server runs (fully qualified); "" — the server as a whole — is always known. */
  services: readonly string[];
  /** True when the server can do its work; an error counts as not ready. */
  ready: () => Promise<boolean>;
  shutdown: AbortSignal;
  log: ErrorLog;
  /** How often a Watch re-checks readiness. */
  watchPollMs?: number;
}

function serviceOf(request: unknown): string | undefined {
  if (isUndecodable(request)) return undefined;
  const s = (request as { service?: unknown }).service;
  return typeof s === 'string' ? s : '';
}

async function statusOf(deps: HealthDeps, service: string | undefined): Promise<ServingStatus> {
  if (service === undefined || (service !== '' && !deps.services.includes(service))) return 'SERVICE_UNKNOWN';
  if (deps.shutdown.aborted) return 'NOT_SERVING';
  try {
    return (await deps.ready()) ? 'SERVING' : 'NOT_SERVING';
  } catch {
    return 'NOT_SERVING';
  }
}

/** The Health implementation for grpc-js. */
export function healthHandlers(deps: HealthDeps): grpc.UntypedServiceImplementation {
  const check: grpc.handleUnaryCall<unknown, unknown> = (call, callback) => {
    const service = serviceOf(call.request);
    statusOf(deps, service).then(
      (status) => {
        if (status === 'SERVICE_UNKNOWN') callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(String(service ?? '').slice(0, 100))}; ask about "", ${deps.services.join(', ')}` });
        else callback(null, { status });
      },
      (err: unknown) => callback(toServiceError(err, deps.log, 'Health.Check') as grpc.ServiceError),
    );
  };

  const watch: grpc.handleServerStreamingCall<unknown, unknown> = (call) => {
    const service = serviceOf(call.request);
    let last: ServingStatus | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(timer);
      deps.shutdown.removeEventListener('abort', onShutdown);
    };
    const onShutdown = () => {
      stop();
      if (call.cancelled) return;
      if (last !== 'SERVICE_UNKNOWN') call.write({ status: 'NOT_SERVING' });
      call.end();
    };
    const tick = async () => {
      const status = await statusOf(deps, service);
      if (call.cancelled || deps.shutdown.aborted) return;
      if (status !== last) call.write({ status });
      last = status;
      timer = setTimeout(() => void tick(), deps.watchPollMs ?? 1_000);
    };
    call.on('cancelled', stop);
    if (deps.shutdown.aborted) return onShutdown();
    deps.shutdown.addEventListener('abort', onShutdown, { once: true });
    void tick();
  };

  return { Check: check, Watch: watch };
}
