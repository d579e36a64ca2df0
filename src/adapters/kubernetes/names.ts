/**
 * Names, labels and annotations ncg puts on Kubernetes objects. Kubernetes is strict about names (DNS-1123
 * labels, at most 63 characters) while ncg ids are free-form, so every id goes through a deterministic
 * sanitiser: the same job id always yields the same Job name, which is what lets a retry find its Job.
 */
import { createHash } from 'node:crypto';
import type { KubernetesClusterConfig } from './config.js';

/** Label: the ncg job id (sanitised); also the selector of ncg's Job and Pod watches. */
export const LABEL_JOB_ID = 'ncg.io/job-id';
/** Label: the institution (sanitised). */
export const LABEL_INSTITUTION = 'ncg.io/institution';
/** Label: the project (sanitised). */
export const LABEL_PROJECT = 'ncg.io/project';
/** Label: who manages the object. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** Label Kueue reads to put a Job in a LocalQueue. */
export const LABEL_KUEUE_QUEUE = 'kueue.x-k8s.io/queue-name';
/** Annotation: the dispatch's idempotency key (free-form, hence an annotation, not a label). */
export const ANNOTATION_IDEMPOTENCY_KEY = 'ncg.io/idempotency-key';
/** Annotation: the raw ncg ids, since labels hold only sanitised ones. */
export const ANNOTATION_JOB_ID = 'ncg.io/job-id';
export const ANNOTATION_USER_ID = 'ncg.io/user-id';
/**
 * Annotation on the pod template carrying the job's `sim` block as JSON. A real cluster ignores it; the
 * in-process API server fake used in tests reads it to know how long the "container" runs.
 */
export const ANNOTATION_SIM = 'ncg.io/sim';
/** Annotation the Job controller sets on each pod of an Indexed Job. */
export const ANNOTATION_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/**
 * Job names end up in pod hostnames `<job>-<index>`, which must stay within 63 characters; 52 leaves
 * room for an index of up to 10 digits.
 */
const MAX_JOB_NAME = 52;

/** Short stable hash, so two ids that sanitise alike still get different names. */
function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** Lower-case, `[a-z0-9-]`, no leading/trailing dash; `''` if nothing is left. */
function dnsChars(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * `<prefix><id>` as a DNS-1123 label of at most `max` characters. Ids that are already clean map to
 * themselves; anything changed or shortened gets a hash suffix, so distinct ids never collide.
 */
export function dnsName(prefix: string, id: string, max = 63): string {
  const clean = dnsChars(id);
  const plain = `${prefix}${clean}`;
  if (clean === id && plain.length <= max) return plain;
  const suffix = `-${shortHash(id)}`;
  const head = `${prefix}${clean}`.slice(0, max - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

/** The deterministic Job name of an ncg job (also its headless Service's name). */
export function jobName(jobId: string): string {
  return dnsName('ncg-', jobId, MAX_JOB_NAME);
}

/** The namespace an institution's jobs go to. */
export function namespaceFor(config: Pick<KubernetesClusterConfig, 'namespaceMode' | 'namespace' | 'namespacePrefix'>, institutionId: string): string {
  return config.namespaceMode === 'single' ? config.namespace : dnsName(config.namespacePrefix, institutionId);
}

/** An id as a valid label value (≤ 63, alphanumeric at both ends, `-_.` inside). */
export function labelValue(id: string): string {
  const ok = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  if (id.length <= 63 && ok.test(id)) return id;
  const suffix = `-${shortHash(id)}`;
  const head = id
    .replace(/[^-A-Za-z0-9_.]+/g, '-')
    .slice(0, 63 - suffix.length)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return head === '' ? shortHash(id) : `${head}${suffix}`;
}

/** The externalId ncg records for a Job: `<namespace>/<name>`, unique across namespaces. */
export function externalIdOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
