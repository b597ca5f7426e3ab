import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

import type { ResourceList } from './Node';

export const PodModel: K8sModel = {
  apiVersion: 'v1',
  kind: 'Pod',
  plural: 'pods',
  abbr: 'P',
  label: 'Pod',
  labelPlural: 'Pods',
  namespaced: true,
};

type PodContainer = { name: string; resources?: { requests?: ResourceList; limits?: ResourceList } };

/** The fields of a Pod the plugin reads. */
export type PodKind = K8sResourceCommon & {
  spec?: {
    nodeName?: string;
    runtimeClassName?: string;
    containers?: PodContainer[];
    initContainers?: PodContainer[];
  };
  status?: {
    phase?: string;
    reason?: string;
    startTime?: string;
  };
};
