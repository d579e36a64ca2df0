#!/usr/bin/env node
// Copies non-TypeScript assets under src/ (static web files, proto files) next to the compiled output.
import { cpSync, existsSync, readdirSync, statSync, mkdirSync, utimesSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const skip = new Set(['.ts']);

function walk(rel) {
  const dir = join(root, 'src', rel);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = join(rel, e.name);
    if (e.isDirectory()) walk(r);
    else if (!skip.has(extname(e.name))) {
      const to = join(root, 'dist', r);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(join(root, 'src', r), to);
    }
  }
}
walk('');
if (existsSync(join(root, 'proto'))) cpSync(join(root, 'proto'), join(root, 'dist', 'proto'), { recursive: true });
// Touch the entry so start.mjs sees the build as newer than the sources it came from.
const entry = join(root, 'dist', 'cli', 'main.js');
if (existsSync(entry) && statSync(entry)) utimesSync(entry, new Date(), new Date());
