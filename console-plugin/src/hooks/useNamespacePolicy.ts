import { useCallback } from 'react';
import { k8sCreate, k8sDelete, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import {
  buildNamespacePolicy,
  buildNamespacePolicyBinding,
  NAMESPACE_POLICY_BINDING_NAME,
  NAMESPACE_POLICY_NAME,
} from '@peer-pods-console/contract/namespace-policy';

import { isNotFoundError } from '../k8s/loadErrors';
import { groupVersionKindOf } from '../models/groupVersionKind';
import {
  ValidatingAdmissionPolicyBindingKind,
  ValidatingAdmissionPolicyBindingModel,
  ValidatingAdmissionPolicyKind,
  ValidatingAdmissionPolicyModel,
} from '../models/ValidatingAdmissionPolicy';

export type NamespacePolicyState = {
  /** The installed policy and binding; undefined when absent (or not readable). */
  policy: ValidatingAdmissionPolicyKind | undefined;
  binding: ValidatingAdmissionPolicyBindingKind | undefined;
  loaded: boolean;
  loadError: unknown;
  /** Creates whichever of the two objects is missing, as the signed-in user. Rejects with the API error. */
  install: (runtimeClass: string) => Promise<void>;
  /** Deletes the binding, then the policy, as the signed-in user. Rejects with the API error. */
  remove: () => Promise<void>;
};

const named = <T extends { metadata?: { name?: string } }>(objects: T[] | undefined, name: string): T | undefined =>
  (objects ?? []).find((object) => object.metadata?.name === name);

/**
 * The namespace policy for peer pods (ValidatingAdmissionPolicy + binding). Watched as lists: a
 * deleted object leaves a list at once, where a single-object watch would keep showing it.
 */
export const useNamespacePolicy = (): NamespacePolicyState => {
  const [policies, policiesLoaded, policiesError] = useK8sWatchResource<ValidatingAdmissionPolicyKind[]>({
    groupVersionKind: groupVersionKindOf(ValidatingAdmissionPolicyModel),
    isList: true,
  });
  const [bindings, bindingsLoaded, bindingsError] = useK8sWatchResource<ValidatingAdmissionPolicyBindingKind[]>({
    groupVersionKind: groupVersionKindOf(ValidatingAdmissionPolicyBindingModel),
    isList: true,
  });
  const policy = named(policies, NAMESPACE_POLICY_NAME);
  const binding = named(bindings, NAMESPACE_POLICY_BINDING_NAME);
  const hasPolicy = policy !== undefined;
  const hasBinding = binding !== undefined;

  const install = useCallback(
    async (runtimeClass: string) => {
      // The policy first: a binding to a policy that does not exist yet enforces nothing.
      if (!hasPolicy) {
        await k8sCreate({ model: ValidatingAdmissionPolicyModel, data: buildNamespacePolicy(runtimeClass) });
      }
      if (!hasBinding)
        await k8sCreate({ model: ValidatingAdmissionPolicyBindingModel, data: buildNamespacePolicyBinding() });
    },
    [hasPolicy, hasBinding],
  );

  const remove = useCallback(async () => {
    const gone = (error: unknown) => {
      if (!isNotFoundError(error)) throw error;
    };
    if (binding) await k8sDelete({ model: ValidatingAdmissionPolicyBindingModel, resource: binding }).catch(gone);
    if (policy) await k8sDelete({ model: ValidatingAdmissionPolicyModel, resource: policy }).catch(gone);
  }, [binding, policy]);

  const loadError = policiesError || bindingsError || undefined;
  return {
    policy,
    binding,
    loaded: (policiesLoaded && bindingsLoaded) || Boolean(loadError),
    loadError,
    install,
    remove,
  };
};
