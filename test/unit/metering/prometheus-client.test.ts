/** The Prometheus client: answers parsed, failures that may pass retried a bounded number of times, query errors not. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusClient, PrometheusQueryError, PrometheusUnavailableError } from '../../../src/metering/prometheus-client.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A fake Prometheus answering with `answers` in turn (the last one repeats); records request bodies. */
async function fakePrometheus(answers: { status: number; body?: unknown; hang?: boolean }[]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${body}`);
      const a = answers[Math.min(bodies.length - 1, answers.length - 1)]!;
      if (a.hang) return;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, bodies };
}

const matrix = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { hpc_job: 'j1' }, values: [[120, '240'], [180, '180']] }] } };

describe('PrometheusClient', () => {
  it('POSTs query_range as a form and returns the matrix', async () => {
    const p = await fakePrometheus([{ status: 200, body: matrix }]);
    const client = new PrometheusClient({ url: `${p.url}/`, retries: 0 });
    expect(await client.queryRange('up{a="b"}', 120, 180, 60)).toEqual([{ metric: { hpc_job: 'j1' }, values: [[120, '240'], [180, '180']] }]);
    expect(p.bodies).toEqual(['POST /api/v1/query_range query=up%7Ba%3D%22b%22%7D&start=120&end=180&step=60']);
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    const p = await fakePrometheus([{ status: 503, body: { status: 'error', error: 'starting' } }, { status: 502 }, { status: 200, body: matrix }]);
    const client = new PrometheusClient({ url: p.url, retries: 2, retryBackoffMs: 1 });
    expect(await client.queryRange('up', 0, 60, 60)).toHaveLength(1);
    expect(p.bodies).toHaveLength(3);
  });

  it('gives up after the bounded retries with an error that says unavailable', async () => {
    const p = await fakePrometheus([{ status: 500, body: { status: 'error', error: 'boom' } }]);
    const client = new PrometheusClient({ url: p.url, retries: 2, retryBackoffMs: 1 });
    const err = await client.query('up', 60).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusUnavailableError);
    expect((err as Error).message).toMatch(/unavailable after 3 attempts: HTTP 500: boom/);
    expect(p.bodies).toHaveLength(3);
  });

  it('does not retry a query Prometheus refuses (bad_data), and says why', async () => {
    const p = await fakePrometheus([{ status: 400, body: { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' } }]);
    const err = await new PrometheusClient({ url: p.url, retries: 3, retryBackoffMs: 1 }).query('sum(', 60).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusQueryError);
    expect((err as PrometheusQueryError).errorType).toBe('bad_data');
    expect((err as Error).message).toMatch(/HTTP 400, bad_data\): 1:5: parse error/);
    expect(p.bodies).toHaveLength(1);
  });

  it('times out each attempt', async () => {
    const p = await fakePrometheus([{ status: 200, hang: true }]);
    const err = await new PrometheusClient({ url: p.url, retries: 1, retryBackoffMs: 1, timeoutMs: 150 }).query('up', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusUnavailableError);
    expect((err as Error).message).toMatch(/no answer within 150 ms/);
    expect(p.bodies).toHaveLength(2);
  });

  it('reports a refused connection as unavailable', async () => {
    const err = await new PrometheusClient({ url: 'http://127.0.0.1:1', retries: 0 }).query('up', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusUnavailableError);
  });
});
