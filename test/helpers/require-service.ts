/**
 * Gate for tests that need a real service (PostgreSQL, Slurm, Prometheus, Chromium, Docker).
 * Absent service: the suite skips with a loud banner — unless NCG_REQUIRE_SERVICES=1 (set by .ci/run),
 * where absence is a failure. Services that cannot exist on this machine kind (a Docker engine) may opt
 * out of that rule with `optionalEvenInCi`.
 */

/** What a gate decided. */
export interface ServiceGate {
  /** True when the service answered. */
  available: boolean;
  /** Why it is absent (empty when available). */
  why: string;
}

/** True when CI demands every service. */
export function servicesRequired(): boolean {
  return process.env.NCG_REQUIRE_SERVICES === '1';
}

function banner(name: string, why: string, hint: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! SKIPPING ${name} tests: ${why}\n!! ${hint}\n${line}\n`);
}

/**
 * Probe a service once (call at module top level with `await`), then use `gate.available` with
 * `describe.runIf(...)`. Throws under NCG_REQUIRE_SERVICES=1 when absent, so the test file fails.
 */
export async function requireService(
  name: string,
  probe: () => Promise<unknown>,
  opts: { hint?: string; optionalEvenInCi?: boolean; timeoutMs?: number } = {},
): Promise<ServiceGate> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let why = '';
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { available: true, why: '' };
  } catch (e) {
    why = (e as Error).message || String(e);
  }
  const hint = opts.hint ?? `start it with: bash scripts/services.sh up ${name}`;
  if (servicesRequired() && !opts.optionalEvenInCi) {
    throw new Error(`${name} is required (NCG_REQUIRE_SERVICES=1) but not available: ${why}. ${hint}`);
  }
  banner(name, why, opts.optionalEvenInCi ? `${hint} (not required on this machine kind, even in CI)` : hint);
  return { available: false, why };
}
