import type { FC } from 'react';
import { Content, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { InventoryVm } from './vmInventoryRows';

const MIB_PER_GIB = 1024;

/** Memory in GiB (at most one decimal) from 1 GiB up, else in MiB. */
export const memoryInUnits = (memoryMiB: number): { amount: number; unit: 'GiB' | 'MiB' } =>
  memoryMiB >= MIB_PER_GIB
    ? { amount: Math.round((memoryMiB / MIB_PER_GIB) * 10) / 10, unit: 'GiB' }
    : { amount: memoryMiB, unit: 'MiB' };

/** The instance type, and under it its vCPUs and memory when the cloud told them: `2 vCPUs · 8 GiB`. */
const VmInstanceTypeCell: FC<{ vm: Pick<InventoryVm, 'instanceType' | 'vcpus' | 'memoryMiB'> }> = ({ vm }) => {
  const { t, i18n } = useTranslation('plugin__peer-pods-console-plugin');
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });

  const size: string[] = [];
  if (vm.vcpus !== null) {
    size.push(vm.vcpus === 1 ? t('1 vCPU') : t('{{vcpus}} vCPUs', { vcpus: number.format(vm.vcpus) }));
  }
  if (vm.memoryMiB !== null) {
    const { amount, unit } = memoryInUnits(vm.memoryMiB);
    // The same words as the cloud room's sizes (capacity/useSizeText.ts).
    size.push(
      unit === 'GiB'
        ? t('{{amount}} GiB', { amount: number.format(amount) })
        : t('{{amount}} MiB', { amount: number.format(amount) }),
    );
  }

  if (size.length === 0) return <>{vm.instanceType ?? '—'}</>;
  return (
    <Stack>
      <StackItem>{vm.instanceType ?? '—'}</StackItem>
      <StackItem>
        <Content component="small">{size.join(' · ')}</Content>
      </StackItem>
    </Stack>
  );
};

export default VmInstanceTypeCell;
