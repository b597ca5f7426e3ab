import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

/** The object the OpenShift sandboxed containers operator creates and the product reads. */
export { DEFAULT_PEER_POD_CONFIG } from '@peer-pods-console/contract/capacity';
/** Node extended resource that counts peer-pod VMs; its per-node amount is spec.limit. */
export { DEFAULT_EXTENDED_RESOURCE as PEER_POD_VM_RESOURCE } from '@peer-pods-console/contract/capacity';

// The per-node peer-pod VM limit (spec.limit), advertised as PEER_POD_VM_RESOURCE.
export const PeerPodConfigModel: K8sModel = {
  apiGroup: 'confidentialcontainers.org',
  apiVersion: 'v1alpha1',
  kind: 'PeerPodConfig',
  plural: 'peerpodconfigs',
  abbr: 'PPC',
  label: 'PeerPodConfig',
  labelPlural: 'PeerPodConfigs',
  namespaced: true,
  crd: true,
};

export type PeerPodConfigKind = K8sResourceCommon & {
  spec: {
    cloudSecretName: string;
    configMapName: string;
    /** A string on purpose (upstream CRD): the maximum number of peer-pod VMs per node. */
    limit?: string;
    /** Label map selecting the nodes that run peer pods. */
    nodeSelector?: Record<string, string>;
    instanceType?: string;
  };
  status?: {
    setupCompleted?: boolean;
  };
};
