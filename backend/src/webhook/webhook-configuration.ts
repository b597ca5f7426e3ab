// The MutatingWebhookConfiguration (admissionregistration.k8s.io/v1) that registers the webhook.
// Rendered from code so that the integration tests, the backend and the Helm chart share one
// definition of the rules, selectors and policies.

import type { V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { DEFAULT_TARGET_RUNTIME_CLASS } from './mutate.ts';
import { MUTATE_PATH } from './review.ts';

export const DEFAULT_CONFIGURATION_NAME = 'peer-pods-console-pod-mutator';
export const DEFAULT_WEBHOOK_NAME = 'mutate-pod.peerpods-console.io';
export const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * Namespaces the API server never sends to the webhook. A selector matches names exactly (it has
 * no prefix operator), so these are the Kubernetes system namespaces and the OpenShift platform
 * namespaces of a 4.x cluster — the operator's list spirit; the webhook's own `openshift-*` pattern
 * backs it up for any name not listed here. Pods there must keep running when the webhook is down.
 */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-node-lease',
  'openshift',
  'openshift-apiserver',
  'openshift-apiserver-operator',
  'openshift-authentication',
  'openshift-authentication-operator',
  'openshift-cloud-controller-manager',
  'openshift-cloud-controller-manager-operator',
  'openshift-cloud-credential-operator',
  'openshift-cloud-network-config-controller',
  'openshift-cluster-csi-drivers',
  'openshift-cluster-machine-approver',
  'openshift-cluster-node-tuning-operator',
  'openshift-cluster-samples-operator',
  'openshift-cluster-storage-operator',
  'openshift-cluster-version',
  'openshift-config',
  'openshift-config-managed',
  'openshift-config-operator',
  'openshift-console',
  'openshift-console-operator',
  'openshift-console-user-settings',
  'openshift-controller-manager',
  'openshift-controller-manager-operator',
  'openshift-dns',
  'openshift-dns-operator',
  'openshift-etcd',
  'openshift-etcd-operator',
  'openshift-host-network',
  'openshift-image-registry',
  'openshift-infra',
  'openshift-ingress',
  'openshift-ingress-canary',
  'openshift-ingress-operator',
  'openshift-insights',
  'openshift-kni-infra',
  'openshift-kube-apiserver',
  'openshift-kube-apiserver-operator',
  'openshift-kube-controller-manager',
  'openshift-kube-controller-manager-operator',
  'openshift-kube-scheduler',
  'openshift-kube-scheduler-operator',
  'openshift-kube-storage-version-migrator',
  'openshift-kube-storage-version-migrator-operator',
  'openshift-machine-api',
  'openshift-machine-config-operator',
  'openshift-marketplace',
  'openshift-monitoring',
  'openshift-multus',
  'openshift-network-diagnostics',
  'openshift-network-node-identity',
  'openshift-network-operator',
  'openshift-node',
  'openshift-oauth-apiserver',
  'openshift-openstack-infra',
  'openshift-operator-lifecycle-manager',
  'openshift-operators',
  'openshift-ovirt-infra',
  'openshift-ovn-kubernetes',
  'openshift-sandboxed-containers-operator',
  'openshift-sdn',
  'openshift-service-ca',
  'openshift-service-ca-operator',
  'openshift-user-workload-monitoring',
  'openshift-vsphere-infra',
];

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export type WebhookClientTarget =
  /** in-cluster: the API server calls the Service (port default 443) */
  | { service: { namespace: string; name: string; port?: number } }
  /** out-of-cluster or tests: an https URL without the path */
  | { url: string };

export interface WebhookConfigurationOptions {
  target: WebhookClientTarget;
  /** PEM of the CA that signed the serving certificate */
  caBundlePem: string;
  name?: string;
  webhookName?: string;
  /** Fail (default, as upstream): no peer pod is admitted unaccounted while the webhook is down */
  failurePolicy?: 'Fail' | 'Ignore';
  timeoutSeconds?: number;
  /** replaces SYSTEM_NAMESPACES */
  excludedNamespaces?: readonly string[];
  /** added to the exclusions, e.g. the namespace the webhook itself runs in */
  additionalExcludedNamespaces?: readonly string[];
  objectSelector?: LabelSelector;
  /**
   * When set, a CEL match condition lets the API server skip the call for pods of any other
   * runtime class, so ordinary pods never wait for (or fail on) the webhook. Default kata-remote;
   * `false` sends every pod.
   */
  matchRuntimeClass?: string | false;
  labels?: Record<string, string>;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalid(message: string): never {
  throw new Error(`invalid MutatingWebhookConfiguration options: ${message}`);
}

export function renderWebhookConfiguration(options: WebhookConfigurationOptions): V1MutatingWebhookConfiguration {
  const name = options.name ?? DEFAULT_CONFIGURATION_NAME;
  const webhookName = options.webhookName ?? DEFAULT_WEBHOOK_NAME;
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (!DNS_SUBDOMAIN.test(name)) invalid(`name "${name}" is not a DNS subdomain`);
  if (!DNS_SUBDOMAIN.test(webhookName) || webhookName.split('.').length < 3) {
    invalid(`webhookName "${webhookName}" must be a fully qualified name with at least three segments`);
  }
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) {
    invalid(`timeoutSeconds must be a whole number from 1 to 30, got ${timeoutSeconds}`);
  }
  if (!options.caBundlePem.includes('-----BEGIN CERTIFICATE-----')) invalid('caBundlePem must hold a PEM certificate');

  let clientConfig: NonNullable<V1MutatingWebhookConfiguration['webhooks']>[number]['clientConfig'];
  const caBundle = Buffer.from(options.caBundlePem).toString('base64');
  if ('url' in options.target) {
    const url = options.target.url.replace(/\/+$/, '');
    if (!url.startsWith('https://')) invalid(`url must start with https://, got ${url}`);
    clientConfig = { url: `${url}${MUTATE_PATH}`, caBundle };
  } else {
    const { namespace, name: serviceName, port } = options.target.service;
    clientConfig = { service: { namespace, name: serviceName, path: MUTATE_PATH, port: port ?? 443 }, caBundle };
  }

  const excluded = [
    ...new Set([...(options.excludedNamespaces ?? SYSTEM_NAMESPACES), ...(options.additionalExcludedNamespaces ?? [])]),
  ];
  const runtimeClass =
    options.matchRuntimeClass === undefined ? DEFAULT_TARGET_RUNTIME_CLASS : options.matchRuntimeClass;
  if (runtimeClass !== false && !DNS_SUBDOMAIN.test(runtimeClass)) {
    invalid(`matchRuntimeClass "${runtimeClass}" is not a RuntimeClass name`);
  }

  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name, ...(options.labels ? { labels: options.labels } : {}) },
    webhooks: [
      {
        name: webhookName,
        admissionReviewVersions: ['v1'],
        clientConfig,
        rules: [
          { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' },
        ],
        failurePolicy: options.failurePolicy ?? 'Fail',
        matchPolicy: 'Equivalent',
        sideEffects: 'None',
        reinvocationPolicy: 'IfNeeded',
        timeoutSeconds,
        namespaceSelector: {
          matchExpressions:
            excluded.length > 0 ? [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: excluded }] : [],
        },
        ...(options.objectSelector ? { objectSelector: options.objectSelector } : {}),
        ...(runtimeClass !== false
          ? {
              matchConditions: [
                {
                  name: 'peer-pod-runtime-class',
                  expression: `has(object.spec.runtimeClassName) && object.spec.runtimeClassName == '${runtimeClass}'`,
                },
              ],
            }
          : {}),
      },
    ],
  };
}
