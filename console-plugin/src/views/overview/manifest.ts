// The peer pods card on Home → Overview. Loaded by webpack.config.ts in Node (through
// plugin-extensions.ts), hence type-only SDK imports.
import type { DashboardsCard } from '@openshift-console/dynamic-plugin-sdk';
import type { EncodedExtension } from '@openshift-console/dynamic-plugin-sdk-webpack';

const peerPodsOverviewCard: EncodedExtension<DashboardsCard> = {
  type: 'console.dashboards/card',
  properties: {
    tab: 'home',
    position: 'RIGHT',
    span: 12,
    // Exposed module declared in package.json `consolePlugin.exposedModules`.
    component: { $codeRef: 'PeerPodsOverviewCard' },
  },
};

export const overviewExtensions: EncodedExtension[] = [peerPodsOverviewCard];
