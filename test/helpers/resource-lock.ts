/**
 * Exclusive use of shared test resources (the test Slurm's partitions) across vitest's worker processes.
 * Suites that drive the same real nodes and assert free GPUs or pin jobs to nodes cannot run side by side;
 * suites on different partitions still can. One lock file per resource under the temp directory, created
 * with O_EXCL and holding the owner's PID; a lock whose owner died is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function lockPath(resource: string): string {
  return join(tmpdir(), `ncg-test-lock-${resource.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

/** True unless `pid` is a positive PID with no process behind it (an empty file is being written: alive). */
function ownerAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return false; // removed meanwhile: try again at once
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function lockOne(resource: string, deadline: number): Promise<() => void> {
  const path = lockPath(resource);
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!ownerAlive(path)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`test resource ${resource} still held by another test process after waiting (lock ${path})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Take every named resource (in sorted order, so two suites wanting overlapping sets cannot deadlock),
 * waiting up to `timeoutMs`; returns a release that is also run at process exit.
 */
export async function lockResources(resources: readonly string[], timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  const releases: (() => void)[] = [];
  try {
    for (const r of [...new Set(resources)].sort()) releases.push(await lockOne(r, deadline));
  } catch (e) {
    releases.forEach((release) => release());
    throw e;
  }
  const release = () => {
    releases.splice(0).forEach((r) => r());
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
