/**
 * Who a job runs as on a Slurm cluster. Institutions (or single users) map to a Slurm account and a Unix
 * user that exists on every node; the user's entry wins over its institution's, which wins over the
 * default. A job nobody maps is refused rather than run under a guessed identity.
 */
import type { SlurmAccountMapping, SlurmClusterConfig } from './config.js';

/** Account, Unix user and working directory of one job. */
export interface ResolvedAccount {
  account: string;
  user: string;
  workdir: string;
}

/** Resolve the mapping for a job; undefined when the configuration maps neither user nor institution. */
export function resolveAccount(
  cfg: Pick<SlurmClusterConfig, 'accounts' | 'workdirRoot'>,
  who: { institutionId: string; userId: string },
): ResolvedAccount | undefined {
  const mapping: SlurmAccountMapping | undefined =
    cfg.accounts.users[who.userId] ?? cfg.accounts.institutions[who.institutionId] ?? cfg.accounts.default;
  if (!mapping) return undefined;
  const root = cfg.workdirRoot.replace(/\/+$/, '');
  return {
    account: mapping.account,
    user: mapping.user,
    workdir: mapping.workdir ?? `${root}/${safeSegment(who.institutionId)}`,
  };
}

/** A path segment that cannot climb out of the work root. */
function safeSegment(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || s === '.' || s === '..' ? '_' : s;
}
