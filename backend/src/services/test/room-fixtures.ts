// The capacity room's parts as the room service answers them (GET /capacity/room), for its own
// tests and for the tests of what reads its answer, such as the cloud-quota setup check.
import type { VcpuQuota } from '@peer-pods-console/contract';

export const STANDARD_QUOTA_NAME = 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances';

/** AWS's Standard On-Demand vCPU quota, read: 96 vCPUs, 32 of them held, 64 free. */
export const STANDARD_QUOTA: VcpuQuota = {
  code: 'L-1216C47A',
  name: STANDARD_QUOTA_NAME,
  state: 'known',
  limit: 96,
  used: 32,
  free: 64,
  permission: null,
  detail: null,
};
