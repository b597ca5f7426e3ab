// Pod VM sizes as the clouds describe them (EC2 DescribeInstanceTypes, Azure resource SKUs), for the
// tests that read them from a cloud and the tests that reckon the room with them.
import type { VmSizeInfo } from '../provider.ts';

/** Counts against AWS's Standard On-Demand quota. */
export const M6A_LARGE = {
  name: 'm6a.large',
  vcpus: 2,
  memoryMiB: 8192,
  gpus: 0,
  quota: 'L-1216C47A',
} satisfies VmSizeInfo;

/** Counts against the Azure region's DCasv5 family usage. */
export const DC2AS_V5 = {
  name: 'Standard_DC2as_v5',
  vcpus: 2,
  memoryMiB: 8192,
  gpus: 0,
  quota: 'standardDCASv5Family',
} satisfies VmSizeInfo;
