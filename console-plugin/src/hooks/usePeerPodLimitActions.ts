import { useMemo } from 'react';
import { k8sPatch, type Patch } from '@openshift-console/dynamic-plugin-sdk';

import { NodeKind, NodeModel, VM_LIMIT_OVERRIDE_ANNOTATION } from '../models/Node';
import { PeerPodConfigKind, PeerPodConfigModel } from '../models/PeerPodConfig';

/** JSON Pointer token: `/` inside a key is written `~1`, `~` is written `~0` (RFC 6901). */
const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

const OVERRIDE_PATH = `/metadata/annotations/${pointerToken(VM_LIMIT_OVERRIDE_ANNOTATION)}`;

/** Sets `spec.limit`, which the CRD types as a string: `10` is written `"10"`. */
export const limitPatch = (peerPodConfig: PeerPodConfigKind, limit: number): Patch[] => [
  { op: peerPodConfig.spec.limit === undefined ? 'add' : 'replace', path: '/spec/limit', value: String(limit) },
];

/**
 * Sets (a number) or removes (null) the node's VM limit override annotation, touching no other
 * annotation: the whole map is written only when the node has none at all.
 */
export const nodeOverridePatch = (node: NodeKind, override: number | null): Patch[] => {
  const annotations = node.metadata?.annotations;
  const present = annotations !== undefined && VM_LIMIT_OVERRIDE_ANNOTATION in annotations;
  if (override === null) return present ? [{ op: 'remove', path: OVERRIDE_PATH }] : [];
  const value = String(override);
  if (!annotations)
    return [{ op: 'add', path: '/metadata/annotations', value: { [VM_LIMIT_OVERRIDE_ANNOTATION]: value } }];
  return [{ op: present ? 'replace' : 'add', path: OVERRIDE_PATH, value }];
};

export type PeerPodLimitActions = {
  /** Patches the PeerPodConfig's `spec.limit` as the signed-in user. */
  setLimit: (peerPodConfig: PeerPodConfigKind, limit: number) => Promise<PeerPodConfigKind>;
  /** Sets or (with null) removes a node's override annotation as the signed-in user. */
  setNodeOverride: (node: NodeKind, override: number | null) => Promise<NodeKind>;
};

/** The writes of the limit editor; the API server's RBAC decides, errors reach the caller as they are. */
export const usePeerPodLimitActions = (): PeerPodLimitActions =>
  useMemo(
    () => ({
      setLimit: (peerPodConfig, limit) =>
        k8sPatch<PeerPodConfigKind>({
          model: PeerPodConfigModel,
          resource: peerPodConfig,
          data: limitPatch(peerPodConfig, limit),
        }),
      setNodeOverride: async (node, override) => {
        const data = nodeOverridePatch(node, override);
        if (data.length === 0) return node;
        return k8sPatch<NodeKind>({ model: NodeModel, resource: node, data });
      },
    }),
    [],
  );
