import type { FC } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Button, Content } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary, PendingPeerPod } from '../../../api/backend';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import PeerPodList from './PeerPodList';

type PendingPeerPodsListProps = Pick<CapacitySummary, 'pending' | 'extendedResource' | 'podNames'> & {
  /** Opens the override editor of a node (for pods pinned to it); unset: no button. */
  onEditOverride?: (nodeName: string) => void;
};

/** The one node a pod is pinned to (null from a backend older than the field: any node would do). */
const pinnedNodeOf = (pod: PendingPeerPod): string | null =>
  (pod.pinnedNode as PendingPeerPod['pinnedNode'] | undefined) ?? null;

/** Peer pods the scheduler could not place because no node had a VM free, and what frees one. */
const PendingPeerPodsList: FC<PendingPeerPodsListProps> = ({ pending, extendedResource, podNames, onEditOverride }) => {
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
            'These peer pods wait because no node has a free {{resource}}. Raise the limit, set an override on nodes with room, label more worker nodes for peer pods, or delete peer pods that are no longer needed.',
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
              <ResourceLink groupVersionKind={groupVersionKindOf(NodeModel)} name={nodeName} />
            ) : (
              t('Any node')
            );
          },
        },
        { title: t('Scheduler message'), cell: (pod) => pod.message || '—' },
        {
          title: t('What lets it run'),
          cell: (pod) => {
            const nodeName = pinnedNodeOf(pod);
            if (!nodeName) return t('A higher limit, or a VM freed on any node');
            return (
              <>
                {t('A higher override on {{node}}, or a VM freed there', { node: nodeName })}
                {onEditOverride && (
                  <>
                    {' '}
                    <Button variant="link" isInline onClick={() => onEditOverride(nodeName)}>
                      {t('Set the override on {{node}}', { node: nodeName })}
                    </Button>
                  </>
                )}
              </>
            );
          },
        },
      ]}
    />
  );
};

export default PendingPeerPodsList;
