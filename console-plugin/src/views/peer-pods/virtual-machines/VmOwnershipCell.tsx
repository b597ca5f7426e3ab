import type { FC } from 'react';
import { Label, Tooltip } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { InventoryVm } from './vmInventoryRows';

/**
 * Who owns the VM: in use (a PeerPod or a live pod claims it), an orphan (nobody does, past the
 * grace period), or not claimed yet. The backend's reason, whenever it is not simply in use, is
 * the label's tooltip (on hover and focus) and is read out with it: written under the label, a
 * sentence made the row a dozen lines tall.
 */
const VmOwnershipCell: FC<{ vm: Pick<InventoryVm, 'orphan' | 'orphanReason'> }> = ({ vm }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const reason = vm.orphanReason;
  const focusable = reason ? { tabIndex: 0 } : {};
  const label = vm.orphan ? (
    <Label status="warning" isCompact {...focusable}>
      {t('Orphan')}
    </Label>
  ) : reason ? (
    <Label color="grey" isCompact {...focusable}>
      {t('Not claimed')}
    </Label>
  ) : (
    <Label status="success" isCompact>
      {t('In use')}
    </Label>
  );
  if (!reason) return label;
  return (
    <>
      <Tooltip content={reason} aria="none">
        {label}
      </Tooltip>
      <span className="pf-v6-screen-reader">{reason}</span>
    </>
  );
};

export default VmOwnershipCell;
