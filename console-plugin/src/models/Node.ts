import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

/** Node annotation that overrides the PeerPodConfig limit on one node; the backend's reconciler honours it. */
export { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';

export const NodeModel: K8sModel = {
  apiVersion: 'v1',
  kind: 'Node',
  plural: 'nodes',
  abbr: 'N',
  label: 'Node',
  labelPlural: 'Nodes',
  namespaced: false,
};

/** Resource quantities as the API server returns them, e.g. `{ cpu: '4', 'kata.peerpods.io/vm': '10' }`. */
export type ResourceList = Record<string, string>;

export type NodeKind = K8sResourceCommon & {
  spec?: {
    /** `aws:///<zone>/<instance id>` or `azure:///subscriptions/…/virtualMachines/<name>`. */
    providerID?: string;
    unschedulable?: boolean;
  };
  status?: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    conditions?: { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }[];
  };
};
