/**
 * Slurm nodes and partitions → ncg pools. A partition whose GPU nodes share one type is one pool named
 * after it; a partition mixing types becomes one pool per type, named `partition:type`, so every pool stays
 * homogeneous (DESIGN §4). Drained, down or not-responding nodes — and every node of a partition that is
 * not UP — are reported unhealthy with no free GPUs: they contribute nothing.
 */
import type { NodeState } from '../../scheduler/types.js';
import type { PoolInventory } from '../port.js';
import { gpusByType, parseGres } from './gres.js';
import type { SlurmNode, SlurmPartition } from './model.js';

/** Options of the mapping. */
export interface InventoryOptions {
  /** Only these partitions become pools (default: every partition with GPU nodes). */
  partitions?: readonly string[];
  /** Type of GPUs whose gres names none. */
  defaultGpuType: string;
}

// Base states in which a node can take work; anything else (down, error, future, unknown) cannot.
const usableStates = new Set(['idle', 'mixed', 'allocated', 'completing']);
// Flags that keep new work off a node even when its base state looks usable.
const blockingFlags = new Set([
  'DRAIN',
  'DRAINING',
  'DRAINED',
  'NOT_RESPONDING',
  'FAIL',
  'MAINTENANCE',
  'POWERED_DOWN',
  'POWERING_DOWN',
  'POWER_DOWN',
  'POWERING_UP',
  'REBOOT_REQUESTED',
  'REBOOT_ISSUED',
  'INVALID_REG',
]);

/** True when Slurm would start new work on this node. */
export function isNodeHealthy(node: SlurmNode): boolean {
  // Some versions fold flags into the state string (`idle+drain`, `down*`): read both.
  const [base = '', ...inline] = node.state.split('+');
  const notResponding = base.endsWith('*');
  const flags = [...node.flags, ...inline.map((f) => f.toUpperCase())];
  return usableStates.has(base.replace(/[*~#%$@!^-]+$/, '')) && !notResponding && !flags.some((f) => blockingFlags.has(f));
}

/** Pool name for a partition's GPU type. */
export function poolName(partition: string, gpuType: string, mixed: boolean): string {
  return mixed ? `${partition}:${gpuType}` : partition;
}

/** Partition and (for mixed partitions) GPU type of a pool name. */
export function parsePoolName(name: string): { partition: string; gpuType?: string } {
  const i = name.lastIndexOf(':');
  return i < 0 ? { partition: name } : { partition: name.slice(0, i), gpuType: name.slice(i + 1) };
}

function nodeState(node: SlurmNode, gpuType: string, partitionUp: boolean, defaultGpuType: string): NodeState {
  const total = gpusByType(node.gres, defaultGpuType).get(gpuType) ?? 0;
  const used = gpusByType(node.gresUsed, defaultGpuType).get(gpuType) ?? 0;
  const healthy = partitionUp && isNodeHealthy(node);
  // A node whose CPUs are all taken cannot start anything, free GPUs or not.
  const cpusLeft = node.cpus === 0 || node.allocCpus < node.cpus;
  return { name: node.name, totalGpus: total, freeGpus: healthy && cpusLeft ? Math.max(0, total - used) : 0, healthy };
}

/** Pools, and per pool whether its nodes name their GPU type in gres (so a submit may ask for it by type). */
export interface BuiltPools {
  pools: PoolInventory[];
  typedGres: Map<string, boolean>;
}

function namesType(node: SlurmNode, type: string): boolean {
  return parseGres(node.gres).some((e) => e.name === 'gpu' && e.type === type);
}

/** Build the pools of a cluster from its nodes and partitions. */
export function buildPools(nodes: SlurmNode[], partitions: SlurmPartition[], opts: InventoryOptions): BuiltPools {
  const wanted = opts.partitions ? new Set(opts.partitions) : undefined;
  const pools: PoolInventory[] = [];
  const typedGres = new Map<string, boolean>();
  for (const partition of partitions) {
    if (wanted && !wanted.has(partition.name)) continue;
    const members = nodes.filter((n) => n.partitions.includes(partition.name));
    const types = new Set<string>();
    for (const n of members) for (const t of gpusByType(n.gres, opts.defaultGpuType).keys()) types.add(t);
    const up = partition.state === 'UP';
    for (const type of [...types].sort()) {
      const typed = members.filter((n) => gpusByType(n.gres, opts.defaultGpuType).has(type));
      const name = poolName(partition.name, type, types.size > 1);
      typedGres.set(name, typed.every((n) => namesType(n, type)));
      pools.push({
        name,
        gpuType: type,
        nodes: typed.map((n) => nodeState(n, type, up, opts.defaultGpuType)),
      });
    }
  }
  return { pools, typedGres };
}
