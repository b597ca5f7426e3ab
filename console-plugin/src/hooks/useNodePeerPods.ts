import { useMemo } from 'react';
import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';

import { groupVersionKindOf } from '../models/groupVersionKind';
import { PodKind, PodModel } from '../models/Pod';
import { PEER_POD_RUNTIME_CLASS } from '../models/RuntimeClass';

export type NodePeerPodsState = { pods: PodKind[]; loaded: boolean; loadError: unknown };

/** Watches the peer pods (RuntimeClass kata-remote) bound to one node, in every namespace. */
export const useNodePeerPods = (nodeName: string | undefined): NodePeerPodsState => {
  const [pods, loaded, loadError] = useK8sWatchResource<PodKind[]>(
    nodeName
      ? { groupVersionKind: groupVersionKindOf(PodModel), isList: true, fieldSelector: `spec.nodeName=${nodeName}` }
      : null,
  );
  const peerPods = useMemo(
    () =>
      (pods ?? [])
        .filter((pod) => pod.spec?.nodeName === nodeName && pod.spec?.runtimeClassName === PEER_POD_RUNTIME_CLASS)
        .sort((a, b) =>
          `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`),
        ),
    [pods, nodeName],
  );
  return { pods: peerPods, loaded, loadError };
};
