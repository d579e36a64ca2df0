/**
 * Synthetic workload generation from a validated spec and a seed: arrivals (Poisson or evenly spaced, plus
 * Poisson bursts), durations from a named distribution, GPU sizes, GPU types, institutions and users from
 * weighted mixes. Everything comes from one seeded PRNG in a fixed order, so a seed names a workload.
 */
import { createRng, type Rng } from './prng.js';
import type { DurationSpec, SyntheticSpec } from './synthetic-schema.js';
import { DEFAULT_START_EPOCH_MS, type RawJob, type Workload } from './workload-types.js';

/** An institution to draw from when the spec names none (the grid's, weighted by shares). */
export interface InstitutionWeight {
  id: string;
  weight: number;
}

/** Generate the workload a spec and seed describe. */
export function generateSynthetic(spec: SyntheticSpec, seed: number, gridInstitutions: InstitutionWeight[]): Workload {
  const rng = createRng(seed);
  const mix = spec.institutions ?? gridInstitutions.map((i) => ({ id: i.id, weight: i.weight, users: 1 }));
  if (mix.length === 0) throw new Error('synthetic workload: no institutions to draw from');
  const mixWeights = mix.map((m) => m.weight);
  const jobs: RawJob[] = [];
  const draw = (at: number, institution?: string): void => {
    const inst = institution !== undefined ? mix.find((m) => m.id === institution) ?? { id: institution, users: 1 } : mix[rng.weighted(mixWeights)]!;
    const size = spec.gpus[rng.weighted(spec.gpus.map((g) => g.weight))]!;
    const gpuType = spec.gpuTypes ? spec.gpuTypes[rng.weighted(spec.gpuTypes.map((g) => g.weight))]!.type : undefined;
    const user = `${inst.id}-u${Math.floor(rng.next() * inst.users)}`;
    const run = Math.max(1, Math.round(sampleDuration(spec.duration, rng)));
    jobs.push({
      id: `syn-${jobs.length + 1}`,
      submitSeconds: Math.round(at),
      runSeconds: run,
      walltimeSeconds: Math.ceil(run * spec.walltimeFactor),
      size: size.gpus,
      sizeUnit: 'gpus',
      nodes: size.nodes,
      gpuType: gpuType === 'any' ? undefined : gpuType,
      institution: inst.id,
      user,
    });
  };
  const meanGap = 3600 / spec.arrival.ratePerHour;
  let t = 0;
  for (let n = 0; n < spec.jobs; n++) {
    draw(t);
    t += spec.arrival.process === 'poisson' ? rng.exponential(meanGap) : meanGap;
  }
  for (const burst of spec.bursts) {
    const end = (burst.atHours + burst.durationHours) * 3600;
    const gap = 3600 / burst.ratePerHour;
    for (let at = burst.atHours * 3600 + rng.exponential(gap); at < end; at += rng.exponential(gap)) draw(at, burst.institution);
  }
  // Bursts were appended after the base process: order by submit time, ties by generation order (stable sort).
  jobs.sort((a, b) => a.submitSeconds - b.submitSeconds);
  return {
    format: 'synthetic',
    startEpochMs: spec.start ? Date.parse(spec.start) : DEFAULT_START_EPOCH_MS,
    jobs,
    skipped: {},
    malformed: 0,
  };
}

/** One duration in seconds from the spec's distribution, clamped to its min/max. */
export function sampleDuration(d: DurationSpec, rng: Rng): number {
  switch (d.distribution) {
    case 'fixed':
      return d.seconds;
    case 'uniform':
      return d.minSeconds + rng.next() * (d.maxSeconds - d.minSeconds);
    case 'exponential':
      return clamp(rng.exponential(d.meanSeconds), d.minSeconds, d.maxSeconds);
    case 'lognormal':
      return clamp(rng.lognormal(d.medianSeconds, d.sigma), d.minSeconds, d.maxSeconds);
  }
}

function clamp(v: number, min = 1, max = Infinity): number {
  return Math.min(max, Math.max(min, v));
}
