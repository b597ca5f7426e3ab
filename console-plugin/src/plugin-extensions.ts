// Every console extension the plugin contributes, gathered from the features' manifest.ts files.
// webpack.config.ts hands this list to ConsoleRemotePlugin, which validates it against the
// console-extensions schema and checks each $codeRef against package.json's exposedModules.
import type { EncodedExtension } from '@openshift-console/dynamic-plugin-sdk-webpack';

import { nodePeerPodsExtensions } from './views/node-peer-pods/manifest.ts';
import { overviewExtensions } from './views/overview/manifest.ts';
import { peerPodsExtensions } from './views/peer-pods/manifest.ts';

export const pluginExtensions: EncodedExtension[] = [
  ...peerPodsExtensions,
  ...nodePeerPodsExtensions,
  ...overviewExtensions,
];
