import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Stack, StackItem } from '@patternfly/react-core';

import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import { PeerPodModel } from '../../../models/PeerPod';
import type { InventoryVm } from './vmInventoryRows';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

const POD_GROUP_VERSION_KIND = { version: 'v1', kind: 'Pod' };

/** A PeerPod is named after its pod: its link would repeat the pod's, unless there is no pod or it is another. */
const peerPodTellsMore = ({ pod, peerPod }: Pick<InventoryVm, 'pod' | 'peerPod'>): boolean =>
  !!peerPod && (!pod || pod.namespace !== peerPod.namespace || pod.name !== peerPod.name);

/**
 * Where the VM serves, one link a line with its kind's badge: the pod and the node it runs on, and
 * the PeerPod that records the VM when it is not the pod's namesake; a dash when nothing claims it.
 * Names wrap at their hyphens.
 */
const VmPodCell: FC<{ vm: Pick<InventoryVm, 'pod' | 'nodeName' | 'peerPod'> }> = ({ vm }) => {
  if (!vm.pod && !vm.nodeName && !vm.peerPod) return <>—</>;
  return (
    <Stack>
      {vm.pod && (
        <StackItem>
          <ResourceLink
            className={RESOURCE_LINK_CLASS}
            groupVersionKind={POD_GROUP_VERSION_KIND}
            name={vm.pod.name}
            namespace={vm.pod.namespace}
          />
        </StackItem>
      )}
      {vm.nodeName && (
        <StackItem>
          <ResourceLink
            className={RESOURCE_LINK_CLASS}
            groupVersionKind={groupVersionKindOf(NodeModel)}
            name={vm.nodeName}
          />
        </StackItem>
      )}
      {vm.peerPod && peerPodTellsMore(vm) && (
        <StackItem>
          <ResourceLink
            className={RESOURCE_LINK_CLASS}
            groupVersionKind={groupVersionKindOf(PeerPodModel)}
            name={vm.peerPod.name}
            namespace={vm.peerPod.namespace}
          />
        </StackItem>
      )}
    </Stack>
  );
};

export default VmPodCell;
