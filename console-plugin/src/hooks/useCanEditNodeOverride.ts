import { useAccessReview } from '@openshift-console/dynamic-plugin-sdk';

import { NodeModel } from '../models/Node';
import type { AccessState } from './useCanEditPeerPodLimit';

/** Whether the signed-in user may patch Nodes (one by name, or any when no name is given). */
export const useCanEditNodeOverride = (nodeName?: string): AccessState => {
  const [allowed, loading] = useAccessReview({
    group: '',
    resource: NodeModel.plural,
    verb: 'patch',
    ...(nodeName ? { name: nodeName } : {}),
  });
  return { allowed, loading };
};
