import { useTranslation } from 'react-i18next';

import type { VmSize } from '../../../api/backend';
import { memoryAmount } from './cloudRoom';

export type SizeText = {
  /** A count in the reader's language (1,000 / 1 000 / 1.000). */
  number: (value: number) => string;
  /** "8 GiB", "512 MiB". */
  memory: (memoryMiB: number) => string;
  /** What a size holds: "2 vCPUs · 8 GiB", with its GPUs when it has any. */
  details: (size: Pick<VmSize, 'vcpus' | 'memoryMiB' | 'gpus'>) => string;
};

/** Numbers, memory and VM sizes, written the same way everywhere the cloud room shows. */
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
  const details = (size: Pick<VmSize, 'vcpus' | 'memoryMiB' | 'gpus'>) =>
    size.gpus > 0
      ? t('{{vcpus}} vCPUs · {{memory}} · {{gpus}} GPUs', {
          vcpus: number(size.vcpus),
          memory: memory(size.memoryMiB),
          gpus: number(size.gpus),
        })
      : t('{{vcpus}} vCPUs · {{memory}}', { vcpus: number(size.vcpus), memory: memory(size.memoryMiB) });
  return { number, memory, details };
};
