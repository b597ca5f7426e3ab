import { useAccessReview } from '@openshift-console/dynamic-plugin-sdk';

import { DEFAULT_PEER_POD_CONFIG, PeerPodConfigModel } from '../models/PeerPodConfig';

export type AccessState = { allowed: boolean; loading: boolean };

/** Whether the signed-in user may patch the PeerPodConfig (`patch peerpodconfigs` in the operator namespace). */
export const useCanEditPeerPodLimit = (): AccessState => {
  const [allowed, loading] = useAccessReview({
    group: PeerPodConfigModel.apiGroup,
    resource: PeerPodConfigModel.plural,
    verb: 'patch',
    namespace: DEFAULT_PEER_POD_CONFIG.namespace,
    name: DEFAULT_PEER_POD_CONFIG.name,
  });
  return { allowed, loading };
};
