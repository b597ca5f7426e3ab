// Console extensions of the Peer pods page. Loaded by webpack.config.ts in Node (through
// plugin-extensions.ts), hence type-only SDK imports and explicit `.ts` extensions.
import type { HrefNavItem, RoutePage } from '@openshift-console/dynamic-plugin-sdk';
import type { EncodedExtension } from '@openshift-console/dynamic-plugin-sdk-webpack';

import { CAN_LIST_NODE } from '../../consoleFlags.ts';
import { PEER_PODS_PAGE_PATH } from './peerPodsRoutes.ts';

const peerPodsNavItem: EncodedExtension<HrefNavItem> = {
  type: 'console.navigation/href',
  properties: {
    id: 'peer-pods',
    perspective: 'admin',
    section: 'compute',
    name: '%plugin__peer-pods-console-plugin~Peer pods%',
    href: PEER_PODS_PAGE_PATH,
    // Keep the item highlighted on the tab addresses (/peer-pods/<tab>).
    startsWith: [PEER_PODS_PAGE_PATH],
  },
  // The page is about nodes: shown to those who may list them, as the console's Compute section
  // itself (flag CAN_LIST_NODE, set by the console's own access review). The route stays open.
  flags: { required: [CAN_LIST_NODE] },
};

// Cluster-scoped page: no /ns/:ns variant, the PeerPodConfig lives in the operator's namespace.
const peerPodsPageRoute: EncodedExtension<RoutePage> = {
  type: 'console.page/route',
  properties: {
    path: [PEER_PODS_PAGE_PATH, `${PEER_PODS_PAGE_PATH}/:tab`],
    exact: true,
    // Exposed module declared in package.json `consolePlugin.exposedModules`.
    component: { $codeRef: 'PeerPodsPage' },
  },
};

export const peerPodsExtensions: EncodedExtension[] = [peerPodsNavItem, peerPodsPageRoute];
