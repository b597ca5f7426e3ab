import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';

import { groupVersionKindOf } from '../models/groupVersionKind';
import { NodeKind, NodeModel } from '../models/Node';

export type PeerPodNodesState = {
  nodes: NodeKind[];
  loaded: boolean;
  loadError: unknown;
};

/**
 * Watches the Nodes a PeerPodConfig's `nodeSelector` selects. Pass `undefined` while the config is
 * not known: nothing is watched then. An empty selector selects every node, as in Kubernetes.
 */
export const usePeerPodNodes = (nodeSelector: Record<string, string> | undefined): PeerPodNodesState => {
  const [nodes, loaded, loadError] = useK8sWatchResource<NodeKind[]>(
    nodeSelector
      ? { groupVersionKind: groupVersionKindOf(NodeModel), isList: true, selector: { matchLabels: nodeSelector } }
      : null,
  );
  return { nodes: nodes ?? [], loaded, loadError };
};
