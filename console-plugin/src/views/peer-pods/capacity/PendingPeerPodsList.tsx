import type { FC } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Button, Content, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary, NodeCapacity, PendingPeerPod } from '../../../api/backend';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import PeerPodList from './PeerPodList';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

type PendingPeerPodsListProps = Pick<CapacitySummary, 'pending' | 'extendedResource' | 'podNames' | 'nodes'> & {
  /** Opens the override editor of a node (for pods pinned to it); unset: no button. */
  onEditOverride?: (nodeName: string) => void;
  /** Opens the limit editor (for pods the PeerPodConfig limit would let run); unset: no button. */
  onRaiseLimit?: () => void;
};

/** The one node a pod is pinned to (null from a backend older than the field: any node would do). */
const pinnedNodeOf = (pod: PendingPeerPod): string | null =>
  (pod.pinnedNode as PendingPeerPod['pinnedNode'] | undefined) ?? null;

/**
 * What lets one pending pod run, with the editor that does it. A pod any node may take waits for the
 * limit; a pod pinned to one node waits for that node's limit alone: its override when it has one
 * (the PeerPodConfig limit does not apply there), either when the PeerPodConfig governs it.
 */
const WhatLetsItRun: FC<{
  pod: PendingPeerPod;
  nodes: NodeCapacity[];
  onEditOverride?: (nodeName: string) => void;
  onRaiseLimit?: () => void;
}> = ({ pod, nodes, onEditOverride, onRaiseLimit }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const nodeName = pinnedNodeOf(pod);
  const raiseLimit = onRaiseLimit && (
    <StackItem>
      <Button variant="link" isInline onClick={onRaiseLimit}>
        {t('Raise the VM limit')}
      </Button>
    </StackItem>
  );
  if (!nodeName) {
    return (
      <Stack>
        <StackItem>{t('A higher limit, or a VM freed on any node')}</StackItem>
        {raiseLimit}
      </Stack>
    );
  }
  const editOverride = (label: string) =>
    onEditOverride && (
      <StackItem>
        <Button variant="link" isInline onClick={() => onEditOverride(nodeName)}>
          {label}
        </Button>
      </StackItem>
    );
  switch (nodes.find((node) => node.name === nodeName)?.source) {
    case 'config':
      return (
        <Stack>
          <StackItem>
            {t('A higher limit or an override on {{node}}, or a VM freed there', { node: nodeName })}
          </StackItem>
          {raiseLimit}
          {editOverride(t('Set an override on {{node}}', { node: nodeName }))}
        </Stack>
      );
    case 'none':
      return (
        <Stack>
          <StackItem>{t('An override on {{node}}: no PeerPodConfig selects that node', { node: nodeName })}</StackItem>
          {editOverride(t('Set an override on {{node}}', { node: nodeName }))}
        </Stack>
      );
    case 'override':
      return (
        <Stack>
          <StackItem>
            {t('A higher override on {{node}}, or a VM freed there; the limit does not apply to that node', {
              node: nodeName,
            })}
          </StackItem>
          {editOverride(t('Raise the override on {{node}}', { node: nodeName }))}
        </Stack>
      );
    case undefined:
      return (
        <Stack>
          <StackItem>{t('A higher override on {{node}}, or a VM freed there', { node: nodeName })}</StackItem>
          {editOverride(t('Set an override on {{node}}', { node: nodeName }))}
        </Stack>
      );
  }
};

/** Peer pods the scheduler could not place because no node had a VM free, and what frees one. */
const PendingPeerPodsList: FC<PendingPeerPodsListProps> = ({
  pending,
  extendedResource,
  podNames,
  nodes,
  onEditOverride,
  onRaiseLimit,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <PeerPodList
      title={t('Pending peer pods')}
      headingLevel="h2"
      pods={pending}
      podNames={podNames}
      emptyText={t('No peer pod is waiting for capacity.')}
      intro={
        <Content component="p">
          {t(
            'These peer pods wait because no node they may run on has a free {{resource}}. The last column says what lets each one run; deleting peer pods that are no longer needed frees VMs too.',
            { resource: extendedResource },
          )}{' '}
          {pending.some((pod) => pinnedNodeOf(pod) !== null) &&
            t(
              'A pod pinned to one node waits for that node only: raising the limit elsewhere does not help, its override does.',
            )}
        </Content>
      }
      tableLabel={t('Peer pods waiting for capacity')}
      columns={[
        { title: t('Waiting since'), cell: (pod) => (pod.since ? <Timestamp timestamp={pod.since} /> : '—') },
        {
          title: t('Pinned to'),
          cell: (pod) => {
            const nodeName = pinnedNodeOf(pod);
            return nodeName ? (
              <ResourceLink
                className={RESOURCE_LINK_CLASS}
                groupVersionKind={groupVersionKindOf(NodeModel)}
                name={nodeName}
              />
            ) : (
              t('Any node')
            );
          },
        },
        { title: t('Scheduler message'), cell: (pod) => pod.message || '—' },
        {
          title: t('What lets it run'),
          cell: (pod) => (
            <WhatLetsItRun pod={pod} nodes={nodes} onEditOverride={onEditOverride} onRaiseLimit={onRaiseLimit} />
          ),
        },
      ]}
    />
  );
};

export default PendingPeerPodsList;
