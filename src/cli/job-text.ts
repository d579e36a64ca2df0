/**
 * Jobs as text for people: the request in one line, where it runs, and — the question researchers ask
 * most — why it is pending and when it should start.
 */
import type { JobView, PendingView } from '../api/schemas/job-view.js';
import { formatDuration } from '../domain/duration.js';
import { details, num, say, table, time, when } from './output.js';

/** `2×4 H100-80GB` / `1×2 any`. */
export function gpuShape(spec: Pick<JobView['spec'], 'nodes' | 'gpusPerNode' | 'gpuTypes'>): string {
  return `${spec.nodes}×${spec.gpusPerNode} ${spec.gpuTypes.join('|')}`;
}

/** The factor breakdown: `fairshare 0.5, age 0.1, qos 0.5, size 0.2`. */
export function factorsText(p: PendingView): string | undefined {
  if (!p.factors) return undefined;
  const f = p.factors;
  return `fairshare ${num(f.fairshare)}, age ${num(f.age)}, qos ${num(f.qos)}, size ${num(f.size)}`;
}

/** One line: `pending: Resources — no pool has 8 free H100s; position 3; estimated start … (in 12m)`. */
export function pendingLine(p: PendingView): string {
  const parts = [`pending: ${p.reason} — ${p.message}`];
  if (p.position !== undefined) parts.push(`position ${p.position} in the queue`);
  if (p.estimatedStart !== undefined) parts.push(`estimated start ${when(p.estimatedStart)}`);
  return parts.join('; ');
}

/** When a waiting job should start, or why there is no estimate. */
function startText(p: PendingView): string {
  if (p.estimatedStart !== undefined) return when(p.estimatedStart);
  return p.seenByCycle ? `no estimate while ${p.reason} holds it` : 'not yet estimated: the next scheduling cycle looks at it';
}

/** What the job runs: its command, or that it has a script. */
function runs(spec: JobView['spec']): string | undefined {
  if (spec.command) return spec.command.map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  if (spec.script) return `batch script (${spec.script.split('\n').length} lines)`;
  return undefined;
}

function request(spec: JobView['spec']): string {
  return `${spec.nodes} node${spec.nodes === 1 ? '' : 's'} × ${spec.gpusPerNode} GPU${spec.gpusPerNode === 1 ? '' : 's'} (${spec.gpuTypes.join(' or ')}), ${spec.cpusPerNode} CPUs and ${num(spec.memoryGbPerNode)} GB per node; walltime ${formatDuration(spec.walltimeSeconds)}; qos ${spec.qos}`;
}

function placement(job: JobView): string | undefined {
  if (!job.cluster) return undefined;
  const nodes = job.nodeNames && job.nodeNames.length > 0 ? ` on ${job.nodeNames.join(', ')}` : '';
  return `${job.cluster}${job.pool ? ` / pool ${job.pool}` : ''}${nodes}${job.borrowed ? ' (borrowed GPUs: may be reclaimed)' : ''}`;
}

function outcome(job: JobView): string | undefined {
  if (job.exitCode === undefined && !job.reason) return undefined;
  if (job.pending) return undefined;
  return [job.exitCode !== undefined ? `exit code ${job.exitCode}` : undefined, job.reason].filter(Boolean).join('; ');
}

/** The full picture of one job (`ncg job ID`). */
export function printJobDetail(job: JobView): void {
  const p = job.pending;
  details([
    ['Job', `${job.id}  ${job.name}`],
    ['State', job.state],
    ['Pending', p ? `${p.reason} — ${p.message}` : undefined],
    ['Position', p?.position !== undefined ? `${p.position} in the queue` : undefined],
    ['Starts', p ? startText(p) : undefined],
    ['Priority', p?.priority !== undefined ? `${num(p.priority, 4)}${factorsText(p) ? ` (${factorsText(p)})` : ''}` : undefined],
    ['Project', `${job.project} (institution ${job.institution}, user ${job.user})`],
    ['Request', request(job.spec)],
    ['Runs', runs(job.spec)],
    ['Image', job.spec.image],
    ['Site', job.spec.preferredSite ? `prefers ${job.spec.preferredSite}` : undefined],
    ['Placed', placement(job)],
    ['Submitted', when(job.submittedAt)],
    ['Started', job.startedAt ? when(job.startedAt) : undefined],
    ['Ended', job.endedAt ? when(job.endedAt) : undefined],
    ['Outcome', outcome(job)],
  ]);
  if (job.events && job.events.length > 0) {
    say();
    say('Events');
    say(table(['TIME', 'FROM', 'TO', 'REASON'], job.events.map((e) => [time(e.at), e.from ?? '', e.to, e.reason ?? ''])));
  }
}
