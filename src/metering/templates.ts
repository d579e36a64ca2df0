/**
 * Query templates: PromQL with `$placeholders`, so a site whose exporters label differently changes
 * configuration, not code. Placeholders:
 *   $selector    `<clusterLabel>="<cluster value>"`: the matcher that picks one cluster's series
 *   $jobLabel    the profile's job label (e.g. `hpc_job`, `label_ncg_io_job_id`)
 *   $range       the window minus 1 ms (e.g. `59999ms`): each subquery point falls in one window only
 *   $res         the subquery resolution (e.g. `15s`)
 *   $resSeconds  the same in seconds, to turn a sum of samples into GPU-seconds
 *   $fresh       the freshness limit in seconds (older samples do not count)
 */
import { DomainError } from '../domain/errors.js';

/** Names a template may use. */
export const PLACEHOLDERS = ['selector', 'jobLabel', 'range', 'res', 'resSeconds', 'fresh'] as const;

/** A placeholder name. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Values for every placeholder. */
export type TemplateValues = Record<Placeholder, string>;

const TOKEN = /\$([A-Za-z]+)/g;

/** Placeholders a template uses that are not known (empty when fine). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...new Set([...template.matchAll(TOKEN)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}

/** Substitute every placeholder; an unknown one is a configuration error naming it. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(TOKEN, (whole, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw DomainError.invalid(`unknown placeholder ${whole} in a metering query; known: ${PLACEHOLDERS.map((p) => `$${p}`).join(', ')}`);
    }
    return values[name as Placeholder];
  });
}

/** A PromQL double-quoted string literal for `value`. */
export function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A label name PromQL accepts. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** What the placeholders stand for, for one cluster. */
export interface TemplateInputs {
  clusterLabel: string;
  clusterValue: string;
  jobLabel: string;
  stepSeconds: number;
  resolutionSeconds: number;
  freshnessSeconds: number;
}

/** The placeholder values for one cluster's queries. */
export function templateValues(i: TemplateInputs): TemplateValues {
  return {
    selector: `${i.clusterLabel}=${promqlString(i.clusterValue)}`,
    jobLabel: i.jobLabel,
    range: `${i.stepSeconds * 1000 - 1}ms`,
    res: `${i.resolutionSeconds}s`,
    resSeconds: String(i.resolutionSeconds),
    fresh: String(i.freshnessSeconds),
  };
}
