import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

// The per-node peer-pod VM limit (spec.limit), advertised as the extended resource below.
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

/** The object the OpenShift sandboxed containers operator creates and the product reads. */
export const DEFAULT_PEER_POD_CONFIG = {
  name: 'peerpodconfig-openshift',
  namespace: 'openshift-sandboxed-containers-operator',
} as const;

/** Node extended resource that counts peer-pod VMs; its per-node amount is spec.limit. */
export const PEER_POD_VM_RESOURCE = 'kata.peerpods.io/vm';

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
