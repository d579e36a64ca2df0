/**
 * The server side of `npm run bench:api`: a real ncg server (startNcg, as `ncg serve` runs it) on the
 * PostgreSQL database the parent prepared, listening on 127.0.0.1 on a free port. Runs as a child
 * process so the load generator and the server do not share an event loop; tells the parent its port
 * over IPC and stops cleanly on SIGTERM.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { startNcg } from '../src/main.js';
import { createLogger } from '../src/observability/logger.js';

const url = process.argv[2];
if (!url || !process.send) {
  console.error('usage: forked by bench/api.bench.ts with a postgres:// URL');
  process.exit(2);
}

const config = loadConfig({
  overrides: {
    'database.url': url,
    dataDir: mkdtempSync(join(tmpdir(), 'ncg-bench-')),
    'http.host': '127.0.0.1',
    'http.port': '0',
    'grpc.host': '127.0.0.1',
    'grpc.port': '0',
    'log.level': 'warn',
    'grid.seed': 'none',
  },
});
const ncg = await startNcg(config, createLogger('warn'));
process.send({ port: ncg.http.port });

const stop = async () => {
  await ncg.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
