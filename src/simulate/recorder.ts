/**
 * What a simulation observes, recorded as it happens and turned into the report afterwards (report.ts):
 * each job's start and end, GPUs allocated over time, each institution's running and outstanding GPUs over
 * time, preemptions with the GPU-time they threw away, budget exhaustion events, and cycle counts.
 */
import { StepSeries } from './step-series.js';
import type { SimJob } from './workload-mapping.js';

/** An institution's first job held for budget in a budget period. */
export interface BudgetEvent {
  institutionId: string;
  /** 0-based budget period since the simulation start. */
  period: number;
  at: number;
  jobId: string;
}

/** Per-institution time series. */
export interface InstitutionSeries {
  /** GPUs its running jobs hold. */
  running: StepSeries;
  /** GPUs its outstanding (pending or running) jobs ask for: its demand. */
  demand: StepSeries;
}

/** The observations of one simulation run. */
export class Recorder {
  /** Start of the run that completed (epoch ms); NaN while not started. */
  readonly startAt: Float64Array;
  readonly endAt: Float64Array;
  readonly preemptionsOf: Int32Array;
  /** The pool each job last started on (`cluster/pool`), for readers that replay the run (the demo history). */
  readonly placedOn: (string | undefined)[];
  readonly allocated = new StepSeries();
  readonly institutions = new Map<string, InstitutionSeries>();
  readonly budgetEvents: BudgetEvent[] = [];
  preemptions = 0;
  lostGpuSeconds = 0;
  cycles = 0;
  /** Instants at which at least one cycle ran. */
  cycleInstants = 0;
  /** Instants with events at which cycles were skipped because nothing could change. */
  skippedInstants = 0;
  private readonly budgetSeen = new Set<string>();

  constructor(jobCount: number) {
    this.startAt = new Float64Array(jobCount).fill(NaN);
    this.endAt = new Float64Array(jobCount).fill(NaN);
    this.preemptionsOf = new Int32Array(jobCount);
    this.placedOn = new Array<string | undefined>(jobCount);
  }

  /** A job entered the queue. */
  submit(job: SimJob, t: number): void {
    this.series(job.institutionId).demand.add(t, job.gpus);
  }

  /** A job started running (on `placement`, `cluster/pool`, when known). */
  start(job: SimJob, t: number, placement?: string): void {
    this.startAt[job.index] = t;
    this.placedOn[job.index] = placement;
    this.allocated.add(t, job.gpus);
    this.series(job.institutionId).running.add(t, job.gpus);
  }

  /** A job finished. */
  finish(job: SimJob, t: number): void {
    this.endAt[job.index] = t;
    this.allocated.add(t, -job.gpus);
    const s = this.series(job.institutionId);
    s.running.add(t, -job.gpus);
    s.demand.add(t, -job.gpus);
  }

  /** A running job was preempted and requeued: its GPU-time so far is lost. */
  preempt(job: SimJob, t: number, startedAt: number): void {
    this.preemptions++;
    this.preemptionsOf[job.index]!++;
    this.lostGpuSeconds += (job.gpus * (t - startedAt)) / 1000;
    this.startAt[job.index] = NaN;
    this.allocated.add(t, -job.gpus);
    this.series(job.institutionId).running.add(t, -job.gpus);
  }

  /** A job was held for budget; recorded once per institution and period. */
  budgetHeld(job: SimJob, period: number, t: number): void {
    const key = `${job.institutionId}\u0000${period}`;
    if (this.budgetSeen.has(key)) return;
    this.budgetSeen.add(key);
    this.budgetEvents.push({ institutionId: job.institutionId, period, at: t, jobId: job.id });
  }

  private series(institutionId: string): InstitutionSeries {
    let s = this.institutions.get(institutionId);
    if (!s) this.institutions.set(institutionId, (s = { running: new StepSeries(), demand: new StepSeries() }));
    return s;
  }
}
