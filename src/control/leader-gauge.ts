/**
 * `ncg_leader`: whether this process holds the control-loop lease. Every replica serves the API, so
 * readiness says nothing about leadership; operators (and the HA tests) read it here, and an alert on
 * `sum(ncg_leader) != 1` catches a grid without a loop.
 */
import { Gauge, type Registry } from 'prom-client';
import type { LeaderLease } from './lease.js';

/** Register `ncg_leader` on `registry`, read from the lease at each scrape. */
export function registerLeaderGauge(registry: Registry, lease: Pick<LeaderLease, 'isLeader'>): void {
  new Gauge({
    name: 'ncg_leader',
    help: '1 while this process holds the control-loop leader lease, 0 on a standby.',
    registers: [registry],
    collect() {
      this.set(lease.isLeader() ? 1 : 0);
    },
  });
}
