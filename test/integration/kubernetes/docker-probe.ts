/**
 * A quick probe for a Docker engine, kept apart from the k3s harness so a machine without Docker never
 * loads testcontainers or the Kubernetes client just to find out it must skip.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

/**
 * Resolve when a Docker engine answers `/_ping` (DOCKER_HOST unix/tcp, or the usual sockets); reject fast
 * otherwise, so a machine without Docker skips in milliseconds instead of waiting on testcontainers.
 */
export function pingDocker(timeoutMs = 2000): Promise<void> {
  const host = process.env.DOCKER_HOST ?? '';
  const sockets = [host.startsWith('unix://') ? host.slice(7) : '', '/var/run/docker.sock', `${process.env.XDG_RUNTIME_DIR ?? '/nonexistent'}/docker.sock`].filter((s) => s && existsSync(s));
  const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
  if (!tcp && sockets.length === 0) return Promise.reject(new Error(`no Docker engine: DOCKER_HOST=${host || '(unset)'}, no docker.sock found`));
  return new Promise((resolve, reject) => {
    const target = tcp ? { host: tcp[1], port: Number(tcp[2]) } : { socketPath: sockets[0] };
    const req = httpRequest({ ...target, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      if (res.statusCode === 200) resolve();
      else reject(new Error(`Docker /_ping answered ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error(`Docker did not answer /_ping within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
