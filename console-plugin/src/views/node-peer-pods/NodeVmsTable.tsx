import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Content, Label } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../api/backend';
import { groupVersionKindOf } from '../../models/groupVersionKind';
import { PodModel } from '../../models/Pod';

/** The cloud VMs the inventory ties to this node, with the pod each belongs to. */
const NodeVmsTable: FC<{ vms: NodeCapacity['vms'] }> = ({ vms }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (vms.length === 0) {
    return (
      <Content component="p">
        {t('The cloud inventory knows no peer pod VM of this node. It lists the VMs once it has read the cloud.')}
      </Content>
    );
  }
  return (
    <Table aria-label={t('Peer pod VMs of this node')} variant="compact">
      <Thead>
        <Tr>
          <Th modifier="wrap">{t('VM')}</Th>
          <Th modifier="wrap">{t('ID')}</Th>
          <Th modifier="wrap">{t('State')}</Th>
          <Th modifier="wrap">{t('Instance type')}</Th>
          <Th modifier="wrap">{t('Pod')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {vms.map((vm) => (
          <Tr key={vm.id}>
            <Td dataLabel={t('VM')}>{vm.name}</Td>
            <Td dataLabel={t('ID')}>{vm.id}</Td>
            <Td dataLabel={t('State')}>{vm.state ?? '—'}</Td>
            <Td dataLabel={t('Instance type')}>{vm.instanceType ?? '—'}</Td>
            <Td dataLabel={t('Pod')}>
              {vm.pod ? (
                <ResourceLink
                  groupVersionKind={groupVersionKindOf(PodModel)}
                  name={vm.pod.name}
                  namespace={vm.pod.namespace}
                />
              ) : (
                <Label status="danger" isCompact>
                  {t('Orphan')}
                </Label>
              )}
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export default NodeVmsTable;
