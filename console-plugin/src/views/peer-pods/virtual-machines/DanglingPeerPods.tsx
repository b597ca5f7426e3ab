import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Content, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { VmInventory } from '../../../api/backend';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { PeerPodModel } from '../../../models/PeerPod';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

/** PeerPod objects whose VM the cloud no longer lists (the opposite of an orphan VM). */
const DanglingPeerPods: FC<{ dangling: VmInventory['dangling'] }> = ({ dangling }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h2" size="lg" id="peer-pods-console-plugin__dangling-title">
          {t('PeerPods whose VM is gone')}
        </Title>
      </StackItem>
      <StackItem>
        <Content component="p">
          {dangling.length === 0
            ? t('Every PeerPod records a VM that exists in the cloud.')
            : t(
                'These PeerPods record a VM that the cloud no longer lists (deleted or terminated). Their pods cannot run; delete the pods so that their PeerPods are removed with them.',
              )}
        </Content>
      </StackItem>
      {dangling.length > 0 && (
        <StackItem>
          <Table aria-labelledby="peer-pods-console-plugin__dangling-title" variant="compact">
            <Thead>
              <Tr>
                <Th>{t('PeerPod')}</Th>
                <Th>{t('Namespace')}</Th>
                <Th>{t('Recorded VM ID')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {dangling.map((peerPod) => (
                <Tr key={`${peerPod.namespace}/${peerPod.name}`}>
                  <Td dataLabel={t('PeerPod')}>
                    <ResourceLink
                      className={RESOURCE_LINK_CLASS}
                      groupVersionKind={groupVersionKindOf(PeerPodModel)}
                      name={peerPod.name}
                      namespace={peerPod.namespace}
                    />
                  </Td>
                  <Td dataLabel={t('Namespace')}>{peerPod.namespace}</Td>
                  <Td dataLabel={t('Recorded VM ID')} modifier="breakWord">
                    {peerPod.instanceId}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </StackItem>
      )}
    </Stack>
  );
};

export default DanglingPeerPods;
