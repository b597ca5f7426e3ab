import type { FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Content, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary } from '../../../api/backend';
import PodLink from '../../../components/PodLink';
import PodNamesHiddenAlert from '../../../components/PodNamesHiddenAlert';

type PendingPeerPodsListProps = Pick<CapacitySummary, 'pending' | 'extendedResource' | 'podNames'>;

/** Peer pods the scheduler could not place because no node had a VM free, and what frees one. */
const PendingPeerPodsList: FC<PendingPeerPodsListProps> = ({ pending, extendedResource, podNames }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const namesShown = podNames === 'shown';
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
          {!namesShown && (
            <StackItem>
              <PodNamesHiddenAlert />
            </StackItem>
          )}
          <StackItem>
            <Table aria-label={t('Peer pods waiting for capacity')} variant="compact">
              <Thead>
                <Tr>
                  {namesShown && <Th modifier="wrap">{t('Pod')}</Th>}
                  {namesShown && <Th modifier="wrap">{t('Namespace')}</Th>}
                  <Th modifier="wrap">{t('Waiting since')}</Th>
                  <Th modifier="wrap">{t('Scheduler message')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {pending.map((pod, index) => (
                  // Without names the rows have no identity of their own: their place is theirs.
                  <Tr key={namesShown ? `${pod.namespace}/${pod.name}` : index}>
                    {namesShown && (
                      <Td dataLabel={t('Pod')} modifier="nowrap">
                        <PodLink pod={pod} />
                      </Td>
                    )}
                    {namesShown && <Td dataLabel={t('Namespace')}>{pod.namespace}</Td>}
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
