import type { K8sGroupVersionKind, K8sModel } from '@openshift-console/dynamic-plugin-sdk';

/** The `groupVersionKind` that `useK8sWatchResource` and `ResourceLink` take, from a model constant. */
export const groupVersionKindOf = (model: K8sModel): K8sGroupVersionKind => ({
  group: model.apiGroup,
  version: model.apiVersion,
  kind: model.kind,
});
