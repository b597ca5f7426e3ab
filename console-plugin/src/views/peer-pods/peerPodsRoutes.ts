// Kept free of React and SDK runtime imports: manifest.ts (loaded by webpack in Node) reads it too.

/** The page's address in the console; cluster-scoped, so no namespace segment. */
export const PEER_PODS_PAGE_PATH = '/peer-pods';

/** URL segments of the page's tabs, in display order: `/peer-pods/<tab>`. */
export const peerPodsTabIds = ['setup', 'capacity', 'virtual-machines', 'network-setup'] as const;

export type PeerPodsTabId = (typeof peerPodsTabIds)[number];
