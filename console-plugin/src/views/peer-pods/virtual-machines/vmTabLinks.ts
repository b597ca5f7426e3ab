// Kept free of React: other tabs link here with it.
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';

/** `?orphans=true` on the Virtual machines tab: the table starts with "Orphans only" on. */
export const ORPHANS_ONLY_PARAM = 'orphans';

/** The Virtual machines tab, showing only the VMs that no pod owns. */
export const ORPHAN_VMS_PATH = `${PEER_PODS_PAGE_PATH}/virtual-machines?${ORPHANS_ONLY_PARAM}=true`;
