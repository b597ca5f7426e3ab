import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';

/** The peer pods settings live in a ConfigMap the PeerPodConfig names (spec.configMapName). */
export const ConfigMapModel: K8sModel = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  abbr: 'CM',
  label: 'ConfigMap',
  labelPlural: 'ConfigMaps',
  namespaced: true,
};
