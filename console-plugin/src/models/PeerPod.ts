import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

// Upstream cloud-api-adaptor tracks each peer-pod VM with a PeerPod owned by the pod.
export const PeerPodModel: K8sModel = {
  apiGroup: 'confidentialcontainers.org',
  apiVersion: 'v1alpha1',
  kind: 'PeerPod',
  plural: 'peerpods',
  abbr: 'PP',
  label: 'PeerPod',
  labelPlural: 'PeerPods',
  namespaced: true,
  crd: true,
};

export type PeerPodKind = K8sResourceCommon & {
  spec: {
    cloudProvider?: string;
    instanceID?: string;
  };
  status?: {
    // Spelled this way in the upstream CRD.
    cleand?: boolean;
  };
};
