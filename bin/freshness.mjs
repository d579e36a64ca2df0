// Is the compiled output older than the sources? Shared by bin/ncg.js (run dist or the sources) and
// scripts/start.mjs (build before `npm start`); it lives in bin/ because the runtime image ships bin/ only.
import { existsSync, readdirSync, statSync } from 'node:fs';

/** Newest modification time (ms) of any file under `dir`. */
export function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** True when `built` is missing, or `sources` exists and holds a file newer than it. */
export function isStale(built, sources) {
  return !existsSync(built) || (existsSync(sources) && newest(sources) > statSync(built).mtimeMs);
}
