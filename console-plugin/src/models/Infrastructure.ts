import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

// OpenShift's cluster-scoped singleton `cluster`: which cloud the cluster runs on, and where.
export const InfrastructureModel: K8sModel = {
  apiGroup: 'config.openshift.io',
  apiVersion: 'v1',
  kind: 'Infrastructure',
  plural: 'infrastructures',
  abbr: 'INF',
  label: 'Infrastructure',
  labelPlural: 'Infrastructures',
  namespaced: false,
  crd: true,
};

export const CLUSTER_INFRASTRUCTURE_NAME = 'cluster';

export type InfrastructureKind = K8sResourceCommon & {
  status?: {
    platformStatus?: {
      /** e.g. `AWS`, `Azure`, `None`; the product supports AWS and Azure. */
      type?: string;
      aws?: { region?: string };
      azure?: { resourceGroupName?: string };
    };
  };
};
