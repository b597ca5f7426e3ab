import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

export const NamespaceModel: K8sModel = {
  apiVersion: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  abbr: 'NS',
  label: 'Namespace',
  labelPlural: 'Namespaces',
  namespaced: false,
};

export type NamespaceKind = K8sResourceCommon & { status?: { phase?: 'Active' | 'Terminating' } };
