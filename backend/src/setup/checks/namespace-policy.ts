// The recommended cluster-wide policy (ValidatingAdmissionPolicy + binding) that allows peer pods
// only in namespaces labelled peerpods.openshift.io/allowed=true. Not required, but without it a
// peer pod created in a namespace the webhook excludes escapes the VM limit.
import {
  ALLOWED_NAMESPACE_LABEL,
  ALLOWED_NAMESPACE_LABEL_VALUE,
  NAMESPACE_POLICY_NAME,
} from '@peer-pods-console/contract/namespace-policy';
import { action, pass, warning, type CheckOutcome } from '../outcome.ts';

export interface NamespacePolicyInput {
  policyExists: boolean;
  bindingExists: boolean;
}

export function checkNamespacePolicy(input: NamespacePolicyInput): CheckOutcome {
  const name = NAMESPACE_POLICY_NAME;
  if (input.policyExists && input.bindingExists) {
    return pass('policyInstalled', { name, label: `${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}` });
  }
  if (input.policyExists || input.bindingExists) return warning('policyIncomplete', { name }, action('install-policy'));
  return warning('policyNotInstalled', {}, action('install-policy'));
}
