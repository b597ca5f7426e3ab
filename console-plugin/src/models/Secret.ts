import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';

/** The cloud credentials live in a Secret the PeerPodConfig names (spec.cloudSecretName). */
export const SecretModel: K8sModel = {
  apiVersion: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  abbr: 'S',
  label: 'Secret',
  labelPlural: 'Secrets',
  namespaced: true,
};
