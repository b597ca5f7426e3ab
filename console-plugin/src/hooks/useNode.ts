import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';

import { groupVersionKindOf } from '../models/groupVersionKind';
import { NodeKind, NodeModel } from '../models/Node';

export type NodeState = { node: NodeKind | undefined; loaded: boolean; loadError: unknown };

/** Watches one Node by name; pass undefined to watch nothing. */
export const useNode = (name: string | undefined): NodeState => {
  const [node, loaded, loadError] = useK8sWatchResource<NodeKind>(
    name ? { groupVersionKind: groupVersionKindOf(NodeModel), name } : null,
  );
  return { node: loaded && node && Object.keys(node).length > 0 ? node : undefined, loaded, loadError };
};
