import type { FC } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Content, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary } from '../../../api/backend';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { PodModel } from '../../../models/Pod';

type PendingPeerPodsListProps = Pick<CapacitySummary, 'pending' | 'extendedResource'>;

/** Peer pods the scheduler could not place because no node had a VM free, and what frees one. */
const PendingPeerPodsList: FC<PendingPeerPodsListProps> = ({ pending, extendedResource }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h2" size="lg">
          {t('Pending peer pods')}
        </Title>
      </StackItem>
      {pending.length === 0 ? (
        <StackItem>
          <Content component="p">{t('No peer pod is waiting for capacity.')}</Content>
        </StackItem>
      ) : (
        <>
          <StackItem>
            <Content component="p">
              {t(
                'These peer pods wait because no node has a free {{resource}}. Raise the limit, set an override on nodes with room, label more worker nodes for peer pods, or delete peer pods that are no longer needed.',
                { resource: extendedResource },
              )}
            </Content>
          </StackItem>
          <StackItem>
            <Table aria-label={t('Peer pods waiting for capacity')} variant="compact">
              <Thead>
                <Tr>
                  <Th modifier="wrap">{t('Pod')}</Th>
                  <Th modifier="wrap">{t('Namespace')}</Th>
                  <Th modifier="wrap">{t('Waiting since')}</Th>
                  <Th modifier="wrap">{t('Scheduler message')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {pending.map((pod) => (
                  <Tr key={`${pod.namespace}/${pod.name}`}>
                    <Td dataLabel={t('Pod')} modifier="nowrap">
                      <ResourceLink
                        groupVersionKind={groupVersionKindOf(PodModel)}
                        name={pod.name}
                        namespace={pod.namespace}
                      />
                    </Td>
                    <Td dataLabel={t('Namespace')}>{pod.namespace}</Td>
                    <Td dataLabel={t('Waiting since')}>{pod.since ? <Timestamp timestamp={pod.since} /> : '—'}</Td>
                    <Td dataLabel={t('Scheduler message')}>{pod.message || '—'}</Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </StackItem>
        </>
      )}
    </Stack>
  );
};

export default PendingPeerPodsList;
