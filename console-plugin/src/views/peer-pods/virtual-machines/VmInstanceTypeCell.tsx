import { type FC, Fragment } from 'react';
import { Content, Stack, StackItem } from '@patternfly/react-core';

import { useSizeText } from '../../../hooks/useSizeText';
import type { InventoryVm } from './vmInventoryRows';

/** An Azure size may wrap after its underscores (Standard_ / DC2as_v5), never within a word. */
const WrappingName: FC<{ name: string }> = ({ name }) => (
  <>
    {name.split('_').map((part, index) => (
      <Fragment key={index}>
        {index > 0 && (
          <>
            _<wbr />
          </>
        )}
        {part}
      </Fragment>
    ))}
  </>
);

/** The instance type, and under it its vCPUs and memory when the cloud told them: `2 vCPUs · 8 GiB`. */
const VmInstanceTypeCell: FC<{ vm: Pick<InventoryVm, 'instanceType' | 'vcpus' | 'memoryMiB'> }> = ({ vm }) => {
  const details = useSizeText().details(vm);

  const type = vm.instanceType ? <WrappingName name={vm.instanceType} /> : '—';

  if (!details) return <>{type}</>;
  return (
    <Stack>
      <StackItem>{type}</StackItem>
      <StackItem>
        <Content component="small">{details}</Content>
      </StackItem>
    </Stack>
  );
};

export default VmInstanceTypeCell;
