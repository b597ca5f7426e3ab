import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';

import { isNotFoundError } from '../k8s/loadErrors';
import { groupVersionKindOf } from '../models/groupVersionKind';
import { DEFAULT_PEER_POD_CONFIG, PeerPodConfigKind, PeerPodConfigModel } from '../models/PeerPodConfig';

export type PeerPodConfigState = {
  /** undefined while loading, when it does not exist, or when it could not be read. */
  peerPodConfig: PeerPodConfigKind | undefined;
  loaded: boolean;
  /** Any load error except "not found", which is a normal state: peer pods not configured yet. */
  loadError: unknown;
};

/** Watches the cluster's PeerPodConfig (`peerpodconfig-openshift` in the operator namespace). */
export const usePeerPodConfig = (): PeerPodConfigState => {
  const [peerPodConfig, loaded, loadError] = useK8sWatchResource<PeerPodConfigKind>({
    groupVersionKind: groupVersionKindOf(PeerPodConfigModel),
    name: DEFAULT_PEER_POD_CONFIG.name,
    namespace: DEFAULT_PEER_POD_CONFIG.namespace,
  });

  if (loadError && isNotFoundError(loadError)) {
    return { peerPodConfig: undefined, loaded: true, loadError: undefined };
  }
  if (loadError) {
    return { peerPodConfig: undefined, loaded: true, loadError };
  }
  // Treat an empty object like no object, whatever the console hands out before data arrives.
  const exists = loaded && !!peerPodConfig && Object.keys(peerPodConfig).length > 0;
  return { peerPodConfig: exists ? peerPodConfig : undefined, loaded, loadError: undefined };
};
