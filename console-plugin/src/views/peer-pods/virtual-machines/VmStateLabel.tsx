import type { FC } from 'react';
import { Label } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { InventoryVm } from './vmInventoryRows';

type VmState = InventoryVm['state'];

// Every state the contract names, so that a state added there fails to compile here.
const VM_STATES: Record<VmState, true> = {
  pending: true,
  running: true,
  stopping: true,
  stopped: true,
  deleting: true,
  deleted: true,
  unknown: true,
};

/** Whether a state read as plain text (a node's VM rows) is one the label knows. */
export const isVmState = (state: string): state is VmState => Object.hasOwn(VM_STATES, state);

/** The VM's lifecycle state as the cloud reports it, in the user's language; compact, as in a table row. */
const VmStateLabel: FC<{ state: VmState }> = ({ state }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  switch (state) {
    case 'running':
      return (
        <Label status="success" isCompact>
          {t('Running')}
        </Label>
      );
    case 'pending':
      return (
        <Label color="blue" isCompact>
          {t('Pending')}
        </Label>
      );
    case 'stopping':
      return (
        <Label color="grey" isCompact>
          {t('Stopping')}
        </Label>
      );
    case 'stopped':
      return (
        <Label color="grey" isCompact>
          {t('Stopped')}
        </Label>
      );
    case 'deleting':
      return (
        <Label color="grey" isCompact>
          {t('Deleting')}
        </Label>
      );
    case 'deleted':
      return (
        <Label color="grey" isCompact>
          {t('Deleted')}
        </Label>
      );
    case 'unknown':
      return (
        <Label color="grey" isCompact>
          {t('Unknown')}
        </Label>
      );
  }
};

export default VmStateLabel;
