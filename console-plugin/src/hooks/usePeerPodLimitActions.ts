import { useMemo } from 'react';

import { backendApi, type LimitChangeResult } from '../api/backend';
import type { NodeKind } from '../models/Node';
import type { PeerPodConfigKind } from '../models/PeerPodConfig';

export type PeerPodLimitActions = {
  /**
   * Sets the PeerPodConfig's `spec.limit` through the backend, as the signed-in user; with
   * `syncConfigMap`, also PEERPODS_LIMIT_PER_NODE in its ConfigMap (the result's `configMap`).
   */
  setLimit: (
    peerPodConfig: PeerPodConfigKind,
    limit: number,
    options?: { syncConfigMap?: boolean },
  ) => Promise<LimitChangeResult>;
  /** Sets or (with null) removes a node's override annotation through the backend, as the signed-in user. */
  setNodeOverride: (node: NodeKind, override: number | null) => Promise<LimitChangeResult>;
};

/**
 * The writes of the limit editor. The backend writes with the user's own token, so the API
 * server's RBAC decides and its refusal reaches the caller as it came; what it accepts, the
 * backend records as an Event naming the user, old → new (the History).
 */
export const usePeerPodLimitActions = (): PeerPodLimitActions =>
  useMemo(
    () => ({
      setLimit: (peerPodConfig, limit, options) =>
        backendApi.setLimit(
          { namespace: peerPodConfig.metadata?.namespace ?? '', name: peerPodConfig.metadata?.name ?? '' },
          limit,
          options,
        ),
      setNodeOverride: (node, override) => backendApi.setNodeOverride(node.metadata?.name ?? '', override),
    }),
    [],
  );
