/** `ncg clusters`: the federated clusters, their pools, GPU types and free/total GPUs now. */
import type { Command } from 'commander';
import type { ClusterView } from '../../services/inventory-service.js';
import { connect } from '../connection.js';
import { printJson, say, table, withCommonOptions, type CommonOptions } from '../output.js';
import { runAction } from './run-action.js';

/** Register `clusters`. */
export function registerClusters(program: Command): void {
  withCommonOptions(program.command('clusters').description('clusters with their pools, GPU types and free/total GPUs')).action(
    runAction(async (opts: CommonOptions) => {
      const { items } = await connect(opts.url).get<{ items: ClusterView[] }>('/v1/clusters');
      if (opts.output === 'json') return printJson({ items });
      if (items.length === 0) return say('no clusters are registered');
      const rows = items.flatMap((c) =>
        c.pools.map((p) => [c.id, c.site.city || c.site.id, c.kind, c.reachable ? c.state : `${c.state}, unreachable`, p.name, p.gpuType, `${p.nodes}×${p.gpusPerNode}`, `${p.freeGpus}/${p.totalGpus}`]),
      );
      say(table(['CLUSTER', 'SITE', 'KIND', 'STATE', 'POOL', 'GPU TYPE', 'NODES', 'FREE/TOTAL'], rows, ['FREE/TOTAL']));
      const byType = new Map<string, [number, number]>();
      for (const p of items.flatMap((c) => c.pools)) {
        const [free, total] = byType.get(p.gpuType) ?? [0, 0];
        byType.set(p.gpuType, [free + p.freeGpus, total + p.totalGpus]);
      }
      const free = [...byType.values()].reduce((a, [f]) => a + f, 0);
      const total = [...byType.values()].reduce((a, [, t]) => a + t, 0);
      say(`\n${items.length} clusters, ${free}/${total} GPUs free: ${[...byType].sort().map(([t, [f, n]]) => `${t} ${f}/${n}`).join(', ')}`);
      for (const c of items.filter((x) => !x.reachable)) say(`${c.id} is unreachable: ${c.message ?? 'no reason given'}`);
    }),
  );
}
