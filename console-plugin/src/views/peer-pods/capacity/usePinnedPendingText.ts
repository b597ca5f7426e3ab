import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../api/backend';

/**
 * Why peer pods pinned to a node wait, and the one limit that lets them run: the node's override
 * when it has one (the PeerPodConfig limit does not apply there), either when the PeerPodConfig
 * governs it, an override when nothing does. As the stuck list's fixes (backend stuckFixes) say.
 */
export const usePinnedPendingText = (): ((node: Pick<NodeCapacity, 'source'>) => string) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (node) => {
    switch (node.source) {
      case 'override':
        return t(
          'These peer pods can run only on this node (spec.nodeName, a nodeSelector or a node affinity names it) and wait for a free VM here. Only a higher override on this node, or a VM freed here, lets them run: the PeerPodConfig limit does not apply to this node.',
        );
      case 'config':
        return t(
          'These peer pods can run only on this node (spec.nodeName, a nodeSelector or a node affinity names it) and wait for a free VM here. A higher PeerPodConfig limit or an override on this node, or a VM freed here, lets them run; raising the limit of other nodes does not.',
        );
      case 'none':
        return t(
          'These peer pods can run only on this node (spec.nodeName, a nodeSelector or a node affinity names it), which no PeerPodConfig selects. Only an override on this node lets them run.',
        );
    }
  };
};
