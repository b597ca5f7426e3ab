import { backendApi, type NodeCapacityDetail } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

export type NodeCapacityState = {
  detail: NodeCapacityDetail | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
};

/** How often the node's capacity is read again: the Node tab follows changes without a reload. */
export const NODE_CAPACITY_POLL_MS = 5_000;

/** One node's row of the backend's capacity model, with the unaccounted peer pods on it. */
export const useNodeCapacity = (nodeName: string | undefined): NodeCapacityState => {
  const { data, loaded, error, refresh } = useBackendQuery(
    nodeName ? () => backendApi.nodeCapacity(nodeName) : null,
    `node-capacity:${nodeName ?? ''}`,
    { pollMs: NODE_CAPACITY_POLL_MS },
  );
  // An answer for another node (the key changed) is never shown.
  const detail = data && data.node.name === nodeName ? data : undefined;
  return {
    detail,
    loaded: loaded && (detail !== undefined || error !== undefined),
    error: detail ? undefined : error,
    refresh,
  };
};
