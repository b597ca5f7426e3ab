import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

/** The RuntimeClass whose pods become peer pods. */
export { DEFAULT_RUNTIME_CLASS as PEER_POD_RUNTIME_CLASS } from '@peer-pods-console/contract/capacity';

export const RuntimeClassModel: K8sModel = {
  apiGroup: 'node.k8s.io',
  apiVersion: 'v1',
  kind: 'RuntimeClass',
  plural: 'runtimeclasses',
  abbr: 'RC',
  label: 'RuntimeClass',
  labelPlural: 'RuntimeClasses',
  namespaced: false,
};

export type RuntimeClassKind = K8sResourceCommon & {
  handler: string;
  overhead?: { podFixed?: Record<string, string> };
  scheduling?: { nodeSelector?: Record<string, string> };
};
