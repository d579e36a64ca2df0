/**
 * Validation of Kubernetes objects against the official OpenAPI schemas that `kubernetes-models` ships,
 * looked up by apiVersion and kind. Kinds outside this table fail loudly, so a new manifest kind cannot slip
 * through unvalidated.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

type Model = new (data: never) => { validate(): void };

const models: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

/**
 * Prometheus-operator CRDs are not in kubernetes-models; their basic shape is checked in checkCrdShape
 * instead of the full CRD schema.
 */
const crdKinds = new Set(['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule']);

/** A Kubernetes object as parsed from YAML. */
export interface K8sDoc {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

function checkCrdShape(doc: K8sDoc): void {
  if (!doc.metadata?.name) throw new Error(`${doc.kind}: metadata.name is required`);
  const spec = doc.spec;
  if (doc.kind === 'ServiceMonitor' && !Array.isArray(spec?.endpoints)) throw new Error('ServiceMonitor: spec.endpoints must be a list');
  if (doc.kind === 'PrometheusRule' && !Array.isArray(spec?.groups)) throw new Error('PrometheusRule: spec.groups must be a list');
}

/** Validate one object; throws the schema's message (naming the bad path) when it does not conform. */
export function validateK8s(doc: K8sDoc): void {
  const key = `${doc.apiVersion}/${doc.kind}`;
  if (crdKinds.has(key)) return checkCrdShape(doc);
  const model = models[key];
  if (!model) throw new Error(`no schema for ${key}: add it to test/unit/deploy/k8s-models.ts`);
  new model(doc as never).validate();
}
