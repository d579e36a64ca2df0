/**
 * One HTTP server that plays dcgm-exporter for every sim cluster, so a real Prometheus can scrape the
 * simulated grid and metering can query it like a real one.
 *
 * URL scheme:
 *   GET /metrics/<clusterId>   that cluster's GPUs (one scrape job or target per cluster)
 *   GET /metrics               every cluster's GPUs in one exposition (Hostname is unique grid-wide,
 *                              because node names start with the cluster id)
 *   GET /                      plain-text index of the paths above
 * A cluster switched `unreachable` still serves metrics: the fault models the cluster's control API being
 * cut off from ncg, while node exporters usually stay scrapeable by the site's Prometheus.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderDcgmExposition, type GpuSample } from './dcgm-metrics.js';
import { renderKubeStateMetrics } from './kube-state-metrics.js';

/** Anything that can report its GPUs (a SimClusterAdapter). */
export interface GpuSampleSource {
  gpuSamples(): GpuSample[];
}

/** Where and what to serve. */
export interface DcgmExporterOptions {
  /** Clusters by id; read on every scrape, so clusters added to a live map are served too. */
  clusters: ReadonlyMap<string, GpuSampleSource>;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port; read the chosen one from the result). */
  port?: number;
}

/** A running exporter. */
export interface DcgmExporter {
  /** Base URL, e.g. `http://127.0.0.1:9400`. */
  url: string;
  port: number;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/** The exposition format's content type, as Prometheus client libraries send it. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Start the exporter; resolves once it listens. */
export async function startDcgmExporter(options: DcgmExporterOptions): Promise<DcgmExporter> {
  const server = createServer((req, res) => handle(options.clusters, req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function handle(clusters: ReadonlyMap<string, GpuSampleSource>, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET and HEAD are served\n', { allow: 'GET, HEAD' });
  const path = new URL(req.url ?? '/', 'http://exporter').pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return send(res, 200, index(clusters));
  if (path === '/metrics') return sendMetrics(res, [...clusters.values()].flatMap((c) => c.gpuSamples()));
  const match = /^\/metrics\/([^/]+)$/.exec(path);
  const cluster = match ? clusters.get(decodeURIComponent(match[1]!)) : undefined;
  if (cluster) return sendMetrics(res, cluster.gpuSamples());
  send(res, 404, `not found: ${path}\n\n${index(clusters)}`);
}

function sendMetrics(res: ServerResponse, samples: GpuSample[]): void {
  // Kubernetes-style clusters also play kube-state-metrics (their pods' GPU requests, phase and labels).
  send(res, 200, renderDcgmExposition(samples) + renderKubeStateMetrics(samples), { 'content-type': PROMETHEUS_TEXT_CONTENT_TYPE });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function index(clusters: ReadonlyMap<string, GpuSampleSource>): string {
  const ids = [...clusters.keys()].sort();
  return ['sim dcgm-exporter', '/metrics (all clusters)', ...ids.map((id) => `/metrics/${id}`)].join('\n') + '\n';
}
