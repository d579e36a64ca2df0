/**
 * `ncg allocations` and `ncg allocation show|requests|award|split|request|approve|reject`: the allocation
 * workflow over REST (/v1/allocations, /v1/allocation-requests). Who may do what is the server's
 * decision; the commands print its answer (or its refusal, verbatim).
 */
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { details, num, printJson, say, table, time, withCommonOptions, type CommonOptions } from '../output.js';
import { gpuHoursFlag, wholeFlag } from './cli-numbers.js';
import { runAction } from './run-action.js';

/** An allocation as the server shows it. */
interface AllocationView {
  id: string; institution: string; project?: string; parent?: string; periodStart: string; periodEnd: string;
  gpuHours: number; kind: string; gracePct: number; maxConcurrentGpus?: number; mayBorrow: boolean;
}
/** A change request as the server shows it. */
interface RequestView {
  id: string; allocation: string; requestedBy: string; requestedAt: string; extraGpuHours: number; extendTo?: string;
  justification: string; status: string; decidedBy?: string; decidedAt?: string; comment?: string;
}
/** A workflow step. */
interface EventView { id: number; at: string; kind: string; actor?: string; request?: string; data: Record<string, unknown> }

const period = (a: AllocationView) => `${time(a.periodStart).slice(0, 10)} → ${time(a.periodEnd).slice(0, 10)}`;

/** The table `ncg allocations` prints. */
export function allocationTable(items: AllocationView[]): string {
  const rows = items.map((a) => [a.id, a.institution, a.project ?? '(award)', period(a), num(a.gpuHours), a.kind === 'soft' ? `soft +${num(a.gracePct)}%` : 'hard', a.maxConcurrentGpus ?? '']);
  return table(['ID', 'INSTITUTION', 'PROJECT', 'PERIOD', 'GPU-HOURS', 'KIND', 'MAX GPUS'], rows, ['GPU-HOURS', 'MAX GPUS']);
}

/** The table of change requests. */
export function requestTable(items: RequestView[]): string {
  const change = (r: RequestView) => [r.extraGpuHours > 0 ? `+${num(r.extraGpuHours)} GPU-h` : '', r.extendTo ? `to ${time(r.extendTo).slice(0, 10)}` : ''].filter(Boolean).join(', ');
  return table(['ID', 'ALLOCATION', 'BY', 'AT', 'CHANGE', 'STATUS', 'COMMENT'], items.map((r) => [r.id, r.allocation, r.requestedBy, time(r.requestedAt), change(r), r.status, r.comment ?? r.justification]));
}

function eventLine(e: EventView): string {
  const d = e.data;
  const what: Record<string, string> = {
    awarded: `awarded ${String(d['gpuHours'])} GPU-hours for ${String(d['period'])}`,
    split: `split ${String(d['gpuHours'])} GPU-hours to ${String(d['project'])} (was ${String(d['previousGpuHours'])}; ${String(d['allocatedGpuHours'])} allocated)`,
    requested: `requested ${[Number(d['extraGpuHours']) > 0 ? `+${String(d['extraGpuHours'])} GPU-hours` : '', d['extendTo'] ? `extension to ${String(d['extendTo']).slice(0, 10)}` : ''].filter(Boolean).join(' and ')}: ${String(d['justification'])}`,
    approved: `approved ${e.request ?? ''}${d['comment'] ? `: ${String(d['comment'])}` : ''} (GPU-hours ${String(d['gpuHoursBefore'])} → ${String(d['gpuHoursAfter'])})`,
    rejected: `rejected ${e.request ?? ''}: ${String(d['comment'] ?? '')}`,
  };
  return `${time(e.at)}  ${(e.actor ?? '').padEnd(14)}  ${what[e.kind] ?? e.kind}`;
}

/** Register `allocations` and `allocation …`. */
export function registerAllocations(program: Command): void {
  withCommonOptions(
    program
      .command('allocations')
      .description('allocations (awards and project splits) you may see')
      .option('--institution <id>', 'only this institution')
      .option('--period <period>', 'only allocations overlapping it: 2026, 2026-Q4, 2026-11 or from/to')
      .option('--awards', 'institution awards only'),
  ).action(
    runAction(async (opts: CommonOptions & { institution?: string; period?: string; awards?: boolean }) => {
      const { items } = await connect(opts.url).get<{ items: AllocationView[] }>('/v1/allocations', { institution: opts.institution, period: opts.period, awardsOnly: opts.awards ? 'true' : undefined });
      if (opts.output === 'json') return printJson({ items });
      say(items.length === 0 ? 'no allocations' : allocationTable(items));
    }),
  );

  const allocation = program.command('allocation').description('one allocation: show, award, split, request changes, approve or reject them');

  withCommonOptions(allocation.command('show').description('an allocation with its splits, change requests and every step').argument('<id>', 'allocation id')).action(
    runAction(async (id: string, opts: CommonOptions) => {
      const d = await connect(opts.url).get<{ allocation: AllocationView; allocatedGpuHours: number; subAllocations: AllocationView[]; requests: RequestView[]; events: EventView[] }>(`/v1/allocations/${encodeURIComponent(id)}`);
      if (opts.output === 'json') return printJson(d);
      const a = d.allocation;
      details([['allocation', a.id], ['institution', a.institution], ['project', a.project], ['split from', a.parent], ['period', period(a)], ['GPU-hours', num(a.gpuHours)], ['kind', a.kind === 'soft' ? `soft, ${num(a.gracePct)}% grace` : 'hard'], ['max GPUs', a.maxConcurrentGpus === undefined ? undefined : String(a.maxConcurrentGpus)], ['may borrow', a.mayBorrow ? 'yes' : 'no'], ['split to projects', a.project ? undefined : `${num(d.allocatedGpuHours)} of ${num(a.gpuHours)} GPU-hours`]]);
      if (d.subAllocations.length > 0) say(`\n${allocationTable(d.subAllocations)}`);
      if (d.requests.length > 0) say(`\n${requestTable(d.requests)}`);
      if (d.events.length > 0) say(`\n${d.events.map(eventLine).join('\n')}`);
    }),
  );

  withCommonOptions(
    allocation
      .command('award')
      .description('award an institution GPU-hours for a period (national admins)')
      .requiredOption('--institution <id>', 'institution id')
      .requiredOption('--period <period>', 'the period: 2026-Q4, 2026, 2026-11 or from/to')
      .requiredOption('--gpu-hours <n>', 'GPU-hour budget')
      .option('--soft <grace%>', 'a soft budget with this grace percentage (default: hard)')
      .option('--max-gpus <n>', 'GPUs in use at once')
      .option('--no-borrow', 'may not borrow idle GPUs beyond its share')
      .option('--id <id>', 'allocation id (default alloc-<institution>-<period>)'),
  ).action(
    runAction(async (opts: CommonOptions & { institution: string; period: string; gpuHours: string; soft?: string; maxGpus?: string; borrow: boolean; id?: string }) => {
      const body = {
        institution: opts.institution, period: opts.period, gpuHours: gpuHoursFlag(opts.gpuHours, '--gpu-hours'), mayBorrow: opts.borrow,
        ...(opts.soft !== undefined ? { kind: 'soft', gracePct: gpuHoursFlag(opts.soft, '--soft') } : {}),
        ...(opts.maxGpus !== undefined ? { maxConcurrentGpus: wholeFlag(opts.maxGpus, '--max-gpus') } : {}),
        ...(opts.id ? { id: opts.id } : {}),
      };
      const { body: a } = await connect(opts.url).request<AllocationView>('POST', '/v1/allocations', { body });
      if (opts.output === 'json') return printJson(a);
      say(`awarded ${a.id}: ${num(a.gpuHours)} GPU-hours to ${a.institution} for ${period(a)}`);
    }),
  );

  withCommonOptions(
    allocation
      .command('split')
      .description("set a project's share of an institution award (institution admins)")
      .argument('<id>', 'the award')
      .requiredOption('--project <id>', 'project of the institution')
      .requiredOption('--gpu-hours <n>', "the project's GPU-hours (0 takes them back)")
      .option('--max-gpus <n>', 'GPUs in use at once for the project'),
  ).action(
    runAction(async (id: string, opts: CommonOptions & { project: string; gpuHours: string; maxGpus?: string }) => {
      const body = { gpuHours: gpuHoursFlag(opts.gpuHours, '--gpu-hours'), ...(opts.maxGpus !== undefined ? { maxConcurrentGpus: wholeFlag(opts.maxGpus, '--max-gpus') } : {}) };
      const { body: r } = await connect(opts.url).request<{ award: AllocationView; subAllocation: AllocationView; allocatedGpuHours: number; availableGpuHours: number }>('PUT', `/v1/allocations/${encodeURIComponent(id)}/splits/${encodeURIComponent(opts.project)}`, { body });
      if (opts.output === 'json') return printJson(r);
      say(`${r.subAllocation.project} has ${num(r.subAllocation.gpuHours)} GPU-hours of ${r.award.id} (${r.subAllocation.id}); ${num(r.allocatedGpuHours)} of ${num(r.award.gpuHours)} allocated, ${num(r.availableGpuHours)} left`);
    }),
  );

  withCommonOptions(
    allocation
      .command('request')
      .description('request more GPU-hours and/or a later period end for an award')
      .requiredOption('--allocation <id>', 'the award')
      .option('--gpu-hours <n>', 'GPU-hours to add')
      .option('--extend-to <date>', 'new end of the period (2027-01-31)')
      .requiredOption('--justification <text>', 'why (the national admin reads it)'),
  ).action(
    runAction(async (opts: CommonOptions & { allocation: string; gpuHours?: string; extendTo?: string; justification: string }) => {
      const body = { justification: opts.justification, ...(opts.gpuHours !== undefined ? { gpuHours: gpuHoursFlag(opts.gpuHours, '--gpu-hours') } : {}), ...(opts.extendTo ? { extendTo: opts.extendTo } : {}) };
      const { body: r } = await connect(opts.url).request<RequestView>('POST', `/v1/allocations/${encodeURIComponent(opts.allocation)}/requests`, { body });
      if (opts.output === 'json') return printJson(r);
      say(`request ${r.id} on ${r.allocation} is pending; follow it with: ncg allocation show ${r.allocation}`);
    }),
  );

  withCommonOptions(allocation.command('requests').description('change requests (national admins work through --status pending)').option('--status <status>', 'pending, approved or rejected').option('--institution <id>', 'only this institution')).action(
    runAction(async (opts: CommonOptions & { status?: string; institution?: string }) => {
      const { items } = await connect(opts.url).get<{ items: RequestView[] }>('/v1/allocation-requests', { status: opts.status, institution: opts.institution });
      if (opts.output === 'json') return printJson({ items });
      say(items.length === 0 ? 'no change requests' : requestTable(items));
    }),
  );

  for (const verb of ['approve', 'reject'] as const) {
    const cmd = allocation.command(verb).description(verb === 'approve' ? 'approve a change request: the change applies at once (national admins)' : 'reject a change request with a comment (national admins)').argument('<request-id>', 'change request id');
    if (verb === 'approve') cmd.option('--comment <text>', 'a note for the requester');
    else cmd.requiredOption('--comment <text>', 'why (the requester reads it)');
    withCommonOptions(cmd).action(
      runAction(async (id: string, opts: CommonOptions & { comment?: string }) => {
        const { body: r } = await connect(opts.url).request<{ request: RequestView; allocation: AllocationView }>('POST', `/v1/allocation-requests/${encodeURIComponent(id)}/${verb}`, { body: opts.comment !== undefined ? { comment: opts.comment } : {} });
        if (opts.output === 'json') return printJson(r);
        say(`${r.request.id} ${r.request.status}; ${r.allocation.id} now has ${num(r.allocation.gpuHours)} GPU-hours for ${period(r.allocation)}`);
      }),
    );
  }
}
