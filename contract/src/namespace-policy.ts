// The recommended cluster-wide policy that allows peer pods only in chosen namespaces: a
// ValidatingAdmissionPolicy and its binding (admissionregistration.k8s.io/v1), enforced by the
// API server itself with CEL, so no webhook has to be up for it to hold. Allowed = namespaces
// labelled peerpods.openshift.io/allowed=true.
//
// Browser-safe on purpose (it imports only capacity.ts, which imports nothing): the plugin
// installs these very objects as the signed-in user, and the backend's setup check and
// integration tests read and install them against a real API server.
import { DEFAULT_RUNTIME_CLASS } from './capacity.ts';

export const ALLOWED_NAMESPACE_LABEL = 'peerpods.openshift.io/allowed';
export const ALLOWED_NAMESPACE_LABEL_VALUE = 'true';
export const NAMESPACE_POLICY_NAME = 'peer-pods-allowed-namespaces';
export const NAMESPACE_POLICY_BINDING_NAME = 'peer-pods-allowed-namespaces';
/** Annotation on the policy naming the RuntimeClass it guards (the CEL holds it too, less readably). */
export const POLICY_RUNTIME_CLASS_ANNOTATION = 'peerpods.openshift.io/runtime-class';
const MANAGED_BY_LABELS = { 'app.kubernetes.io/part-of': 'peer-pods-console' };

export interface PolicyObjectMeta {
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
}

export interface ValidatingAdmissionPolicy {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'ValidatingAdmissionPolicy';
  metadata: PolicyObjectMeta;
  spec: {
    failurePolicy: 'Fail' | 'Ignore';
    matchConstraints: {
      matchPolicy: 'Equivalent' | 'Exact';
      resourceRules: {
        apiGroups: string[];
        apiVersions: string[];
        operations: string[];
        resources: string[];
        scope?: string;
      }[];
    };
    matchConditions: { name: string; expression: string }[];
    validations: { expression: string; message: string; messageExpression: string; reason: string }[];
  };
}

export interface ValidatingAdmissionPolicyBinding {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'ValidatingAdmissionPolicyBinding';
  metadata: PolicyObjectMeta;
  spec: { policyName: string; validationActions: ('Deny' | 'Warn' | 'Audit')[] };
}

const RUNTIME_CLASS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The `oc` command that allows peer pods in a namespace. */
export function allowNamespaceCommand(namespace: string): string {
  return `oc label namespace ${namespace} ${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}`;
}

/** Whether the policy lets peer pods into a namespace with these labels. */
export function isNamespaceAllowed(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels?.[ALLOWED_NAMESPACE_LABEL] === ALLOWED_NAMESPACE_LABEL_VALUE;
}

/**
 * The policy. Only CREATE is checked: a pod's runtimeClassName is immutable, so no update can
 * turn a pod into a peer pod, and refusing updates would break peer pods that already run in a
 * namespace that is not allowed (labels, finalizers) — they keep running; new ones are refused.
 */
export function buildNamespacePolicy(runtimeClass: string = DEFAULT_RUNTIME_CLASS): ValidatingAdmissionPolicy {
  // The name ends up inside CEL string literals: only a valid RuntimeClass name may get there.
  if (!RUNTIME_CLASS_NAME.test(runtimeClass) || runtimeClass.length > 253) {
    throw new Error(
      `runtimeClass: "${runtimeClass}" is not a RuntimeClass name (lowercase letters, digits, "-" and "."), e.g. kata-remote`,
    );
  }
  const label = `${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}`;
  const listAllowed = `oc get namespaces -l ${label}`;
  const head = `peer pods (runtimeClassName ${runtimeClass}) may only be created in namespaces labelled ${label}`;
  const ask = `ask a cluster administrator to label it: oc label namespace`;
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: {
      name: NAMESPACE_POLICY_NAME,
      labels: { ...MANAGED_BY_LABELS },
      annotations: { [POLICY_RUNTIME_CLASS_ANNOTATION]: runtimeClass },
    },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        matchPolicy: 'Equivalent',
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' },
        ],
      },
      // Ordinary pods are never evaluated, so the policy costs them nothing.
      matchConditions: [
        {
          name: 'peer-pod-runtime-class',
          expression: `has(object.spec.runtimeClassName) && object.spec.runtimeClassName == '${runtimeClass}'`,
        },
      ],
      validations: [
        {
          expression:
            `has(namespaceObject.metadata.labels) && '${ALLOWED_NAMESPACE_LABEL}' in namespaceObject.metadata.labels && ` +
            `namespaceObject.metadata.labels['${ALLOWED_NAMESPACE_LABEL}'] == '${ALLOWED_NAMESPACE_LABEL_VALUE}'`,
          message: `${head}, and this namespace is not. Allowed namespaces: ${listAllowed}. To run peer pods here, ${ask} <namespace> ${label}`,
          messageExpression:
            `'${head}, and namespace ' + namespaceObject.metadata.name + ' is not. Allowed namespaces: ${listAllowed}. ` +
            `To run peer pods here, ${ask} ' + namespaceObject.metadata.name + ' ${label}'`,
          reason: 'Forbidden',
        },
      ],
    },
  };
}

export function buildNamespacePolicyBinding(): ValidatingAdmissionPolicyBinding {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: NAMESPACE_POLICY_BINDING_NAME, labels: { ...MANAGED_BY_LABELS } },
    spec: { policyName: NAMESPACE_POLICY_NAME, validationActions: ['Deny'] },
  };
}

/** The RuntimeClass an installed policy guards, from its annotation; undefined when it has none. */
export function policyRuntimeClass(policy: { metadata?: PolicyObjectMeta } | undefined): string | undefined {
  return policy?.metadata?.annotations?.[POLICY_RUNTIME_CLASS_ANNOTATION];
}
