import { useTranslation } from 'react-i18next';

const MIB_PER_GIB = 1024;

/** Memory in the unit people read it in: GiB (at most one decimal) from 1 GiB up, MiB below. */
export const memoryAmount = (memoryMiB: number): { amount: number; unit: 'GiB' | 'MiB' } =>
  memoryMiB >= MIB_PER_GIB
    ? { amount: Math.round((memoryMiB / MIB_PER_GIB) * 10) / 10, unit: 'GiB' }
    : { amount: memoryMiB, unit: 'MiB' };

/** What a VM size holds; null where the cloud did not say. */
export type SizeFigures = { vcpus: number | null; memoryMiB: number | null; gpus?: number };

export type SizeText = {
  /** A count in the reader's language (1,000 / 1 000 / 1.000). */
  number: (value: number) => string;
  /** "8 GiB", "512 MiB". */
  memory: (memoryMiB: number) => string;
  /** What a size holds, the parts the cloud told: "2 vCPUs · 8 GiB", with its GPUs when it has any; "" when none. */
  details: (size: SizeFigures) => string;
};

/** Numbers, memory and VM sizes, written the same way wherever a VM size shows. */
export const useSizeText = (): SizeText => {
  const { t, i18n } = useTranslation('plugin__peer-pods-console-plugin');
  const format = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const number = (value: number) => format.format(value);
  const memory = (memoryMiB: number) => {
    const { amount, unit } = memoryAmount(memoryMiB);
    return unit === 'GiB'
      ? t('{{amount}} GiB', { amount: number(amount) })
      : t('{{amount}} MiB', { amount: number(amount) });
  };
  const details = ({ vcpus, memoryMiB, gpus = 0 }: SizeFigures) =>
    [
      vcpus === null ? null : vcpus === 1 ? t('1 vCPU') : t('{{vcpus}} vCPUs', { vcpus: number(vcpus) }),
      memoryMiB === null ? null : memory(memoryMiB),
      gpus > 0 ? t('{{gpus}} GPUs', { gpus: number(gpus) }) : null,
    ]
      .filter((part) => part !== null)
      .join(' · ');
  return { number, memory, details };
};
