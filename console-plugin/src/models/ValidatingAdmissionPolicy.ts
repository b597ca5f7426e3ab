import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import type {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from '@peer-pods-console/contract/namespace-policy';

// The API server's own CEL admission policies (admissionregistration.k8s.io/v1, GA since 1.30):
// the plugin installs the namespace policy for peer pods with these, as the signed-in user.
export const ValidatingAdmissionPolicyModel: K8sModel = {
  apiGroup: 'admissionregistration.k8s.io',
  apiVersion: 'v1',
  kind: 'ValidatingAdmissionPolicy',
  plural: 'validatingadmissionpolicies',
  abbr: 'VAP',
  label: 'ValidatingAdmissionPolicy',
  labelPlural: 'ValidatingAdmissionPolicies',
  namespaced: false,
};

export const ValidatingAdmissionPolicyBindingModel: K8sModel = {
  apiGroup: 'admissionregistration.k8s.io',
  apiVersion: 'v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  plural: 'validatingadmissionpolicybindings',
  abbr: 'VAPB',
  label: 'ValidatingAdmissionPolicyBinding',
  labelPlural: 'ValidatingAdmissionPolicyBindings',
  namespaced: false,
};

export type ValidatingAdmissionPolicyKind = K8sResourceCommon & Pick<ValidatingAdmissionPolicy, 'spec'>;
export type ValidatingAdmissionPolicyBindingKind = K8sResourceCommon & Pick<ValidatingAdmissionPolicyBinding, 'spec'>;
