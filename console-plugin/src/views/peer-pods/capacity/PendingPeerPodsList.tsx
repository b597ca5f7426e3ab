import type { FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Content } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary } from '../../../api/backend';
import PeerPodList from './PeerPodList';

type PendingPeerPodsListProps = Pick<CapacitySummary, 'pending' | 'extendedResource' | 'podNames'>;

/** Peer pods the scheduler could not place because no node had a VM free, and what frees one. */
const PendingPeerPodsList: FC<PendingPeerPodsListProps> = ({ pending, extendedResource, podNames }) => {
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
          )}
        </Content>
      }
      tableLabel={t('Peer pods waiting for capacity')}
      columns={[
        { title: t('Waiting since'), cell: (pod) => (pod.since ? <Timestamp timestamp={pod.since} /> : '—') },
        { title: t('Scheduler message'), cell: (pod) => pod.message || '—' },
      ]}
    />
  );
};

export default PendingPeerPodsList;
