/** Listening and graceful shutdown for the HTTP server: stop accepting, let in-flight requests finish, then close. */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** A listening HTTP server. */
export interface HttpServerHandle {
  server: Server;
  /** The bound port (useful when listening on port 0 in tests). */
  port: number;
  /** Stop accepting, wait for in-flight requests up to `graceMs`, then drop what remains. */
  close(graceMs?: number): Promise<void>;
}

/** Listen on host:port; rejects with a readable message when the port is taken. */
export function listen(app: Express, host: string, port: number): Promise<HttpServerHandle> {
  const server = createServer(app);
  // Keep-alive sockets would otherwise hold close() open until their idle timeout.
  server.keepAliveTimeout = 5_000;
  const drain = drainer(server);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use; set NCG_HTTP_PORT to a free port` : `cannot listen on ${host}:${port}: ${e.message}`));
    });
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: bound,
        close: (graceMs = 8_000) => {
          drain.start();
          return closeGracefully(server, graceMs);
        },
      });
    });
  });
}

function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Idle keep-alive connections carry no request; close them now so close() can complete.
    server.closeIdleConnections();
  });
}

/**
 * While draining, every response ends its connection (`Connection: close`). server.close() stops new
 * connections only: a keep-alive client (a load balancer, an ingress with upstream keep-alive) would go on
 * sending requests on its open connection, each one keeping close() from completing, until the grace ran
 * out and closeAllConnections() cut the request then in flight. Responses already being produced when the
 * drain starts get the header too, so their connections close as soon as they are answered.
 */
function drainer(server: Server): { start(): void } {
  const active = new Set<ServerResponse>();
  let draining = false;
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  // Before the app's listener, so the header is set before any handler can answer.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining) return closeAfter(res);
    active.add(res);
    res.once('close', () => active.delete(res));
  });
  return {
    start() {
      draining = true;
      for (const res of active) closeAfter(res);
      active.clear();
    },
  };
}
