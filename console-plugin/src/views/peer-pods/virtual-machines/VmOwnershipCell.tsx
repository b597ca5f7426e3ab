import type { FC } from 'react';
import { Content, Label, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { InventoryVm } from './vmInventoryRows';

/**
 * Who owns the VM: in use (a PeerPod or a live pod claims it), an orphan (nobody does, past the
 * grace period), or not claimed yet; with the backend's reason whenever it is not simply in use.
 */
const VmOwnershipCell: FC<{ vm: InventoryVm }> = ({ vm }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const label = vm.orphan ? (
    <Label status="warning">{t('Orphan')}</Label>
  ) : vm.orphanReason ? (
    <Label color="grey">{t('Not claimed')}</Label>
  ) : (
    <Label status="success">{t('In use')}</Label>
  );
  if (!vm.orphanReason) return label;
  return (
    <Stack>
      <StackItem>{label}</StackItem>
      <StackItem>
        <Content component="small">{vm.orphanReason}</Content>
      </StackItem>
    </Stack>
  );
};

export default VmOwnershipCell;
