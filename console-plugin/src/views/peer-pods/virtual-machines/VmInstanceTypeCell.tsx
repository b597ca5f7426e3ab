import type { FC } from 'react';
import { Content, Stack, StackItem } from '@patternfly/react-core';

import { useSizeText } from '../../../hooks/useSizeText';
import type { InventoryVm } from './vmInventoryRows';

/** The instance type, and under it its vCPUs and memory when the cloud told them: `2 vCPUs · 8 GiB`. */
const VmInstanceTypeCell: FC<{ vm: Pick<InventoryVm, 'instanceType' | 'vcpus' | 'memoryMiB'> }> = ({ vm }) => {
  const details = useSizeText().details(vm);

  if (!details) return <>{vm.instanceType ?? '—'}</>;
  return (
    <Stack>
      <StackItem>{vm.instanceType ?? '—'}</StackItem>
      <StackItem>
        <Content component="small">{details}</Content>
      </StackItem>
    </Stack>
  );
};

export default VmInstanceTypeCell;
