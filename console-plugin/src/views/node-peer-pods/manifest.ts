// The "Peer pods" tab on the Node details page. Loaded by webpack.config.ts in Node (through
// plugin-extensions.ts), hence type-only SDK imports.
import type { HorizontalNavTab } from '@openshift-console/dynamic-plugin-sdk';
import type { EncodedExtension } from '@openshift-console/dynamic-plugin-sdk-webpack';

/** The tab's address segment: /k8s/cluster/nodes/<name>/peer-pods. */
export const NODE_PEER_PODS_TAB_HREF = 'peer-pods';

const nodePeerPodsTab: EncodedExtension<HorizontalNavTab> = {
  type: 'console.tab/horizontalNav',
  properties: {
    model: { group: 'core', version: 'v1', kind: 'Node' },
    page: { name: '%plugin__peer-pods-console-plugin~Peer pods%', href: NODE_PEER_PODS_TAB_HREF },
    // Exposed module declared in package.json `consolePlugin.exposedModules`.
    component: { $codeRef: 'NodePeerPodsTab' },
  },
};

export const nodePeerPodsExtensions: EncodedExtension[] = [nodePeerPodsTab];
