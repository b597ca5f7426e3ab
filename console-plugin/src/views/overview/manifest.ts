// "Peer pods" in the Status card of Home → Overview. Loaded by webpack.config.ts in Node (through
// plugin-extensions.ts), hence type-only SDK imports.
//
// Why a health item and not a console.dashboards/card: the console's Cluster overview has a fixed
// set of cards; a plugin's card is rendered only on a dashboard tab a plugin adds with
// console.dashboards/tab. Health items of the Status card are rendered there in 4.20 and 4.22.
import type { DashboardsOverviewHealthResourceSubsystem } from '@openshift-console/dynamic-plugin-sdk';
import type { EncodedExtension } from '@openshift-console/dynamic-plugin-sdk-webpack';

import { CAN_LIST_NODE } from '../../consoleFlags.ts';

const peerPodsHealthItem: EncodedExtension<DashboardsOverviewHealthResourceSubsystem> = {
  type: 'console.dashboards/overview/health/resource',
  properties: {
    title: '%plugin__peer-pods-console-plugin~Peer pods%',
    // Exposed modules declared in package.json `consolePlugin.exposedModules`.
    resources: { $codeRef: 'PeerPodsHealth.peerPodsHealthResources' },
    healthHandler: { $codeRef: 'PeerPodsHealth.peerPodsHealth' },
    popupComponent: { $codeRef: 'PeerPodsStatusPopup' },
    popupTitle: '%plugin__peer-pods-console-plugin~Peer pod VMs%',
  },
  // Only for those who may list nodes, as the Peer pods page's nav item: the popover's totals need
  // it, and a user without it would see an item that can only say "not allowed".
  flags: { required: [CAN_LIST_NODE] },
};

export const overviewExtensions: EncodedExtension[] = [peerPodsHealthItem];
