#!/usr/bin/env node
// The ncg command: runs the compiled CLI (npm run build), or — in a checkout whose sources are newer than
// the build — the TypeScript sources through tsx, so a stale dist/ never runs old code.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { isStale } from './freshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');
const sources = join(root, 'src');

if (!isStale(built, sources)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href);
}
