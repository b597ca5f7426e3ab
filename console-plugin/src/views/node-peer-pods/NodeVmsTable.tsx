import type { FC } from 'react';
import { Content, Label, Stack, StackItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity, PodNames } from '../../api/backend';
import PodLink from '../../components/PodLink';
import PodNamesHiddenAlert from '../../components/PodNamesHiddenAlert';
import VmStateLabel, { isVmState } from '../peer-pods/virtual-machines/VmStateLabel';

type NodeVmsTableProps = {
  vms: NodeCapacity['vms'];
  /** hidden: the backend left out pod names, and the VM names and ids that embed them. */
  podNames: PodNames;
};

/** The cloud VMs the inventory ties to this node, with the pod each belongs to. */
const NodeVmsTable: FC<NodeVmsTableProps> = ({ vms, podNames }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (vms.length === 0) {
    return (
      <Content component="p">
        {t('The cloud inventory knows no peer pod VM of this node. It lists the VMs once it has read the cloud.')}
      </Content>
    );
  }
  const namesShown = podNames === 'shown';
  return (
    <Stack hasGutter>
      {!namesShown && (
        <StackItem>
          <PodNamesHiddenAlert />
        </StackItem>
      )}
      <StackItem>
        <Table aria-label={t('Peer pod VMs of this node')} variant="compact">
          <Thead>
            <Tr>
              {namesShown && <Th modifier="wrap">{t('VM')}</Th>}
              {namesShown && <Th modifier="wrap">{t('ID')}</Th>}
              <Th modifier="wrap">{t('State')}</Th>
              <Th modifier="wrap">{t('Instance type')}</Th>
              <Th modifier="wrap">{t('Pod')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {vms.map((vm, index) => (
              // Without names the rows have no identity of their own: their place is theirs.
              <Tr key={vm.id ?? index}>
                {namesShown && <Td dataLabel={t('VM')}>{vm.name ?? '—'}</Td>}
                {namesShown && <Td dataLabel={t('ID')}>{vm.id ?? '—'}</Td>}
                <Td dataLabel={t('State')}>
                  {/* The same label as on the Virtual machines tab; a state it does not know, as the cloud said it. */}
                  {vm.state === undefined ? '—' : isVmState(vm.state) ? <VmStateLabel state={vm.state} /> : vm.state}
                </Td>
                <Td dataLabel={t('Instance type')}>{vm.instanceType ?? '—'}</Td>
                <Td dataLabel={t('Pod')}>
                  {vm.pod ? (
                    <PodLink pod={vm.pod} />
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
      </StackItem>
    </Stack>
  );
};

export default NodeVmsTable;
