// The backend's GET /capacity/room answers, for component tests.
import type { CapacityRoom, VcpuQuota, VmSize } from '../../../api/backend';

export const vmSize = (name: string, vcpus: number, memoryMiB: number, gpus = 0): VmSize => ({
  name,
  vcpus,
  memoryMiB,
  gpus,
  quota: gpus > 0 ? 'L-DB2E81BA' : 'L-1216C47A',
});

/** The standard on-demand vCPU quota of AWS, read: `limit` vCPUs, `used` of them in use. */
export const knownQuota = (limit: number, used: number, fields: Partial<VcpuQuota> = {}): VcpuQuota => ({
  code: 'L-1216C47A',
  name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
  state: 'known',
  limit,
  used,
  free: Math.max(0, limit - used),
  permission: null,
  detail: null,
  ...fields,
});

/**
 * An AWS account in us-east-2 where peer pods get m6a.large from peer-pods-cm, 5 nodes promise 50
 * VMs of which 4 run, and the quota has 200 vCPUs of which 40 are used: room for 80 more.
 */
export const capacityRoom = (fields: Partial<CapacityRoom> = {}): CapacityRoom => ({
  provider: 'aws',
  region: 'us-east-2',
  fetchedAt: '2025-01-01T12:00:00.000Z',
  defaultSize: 'm6a.large',
  defaultSizeSource: 'config-map',
  allowedSizes: [],
  sizes: [vmSize('m6a.large', 2, 8192)],
  quotas: [knownQuota(200, 40)],
  promisedVms: 50,
  usedVms: 4,
  vcpusPerVm: 2,
  freeVcpus: 160,
  promisedVcpus: 100,
  stillPromisedVms: 46,
  moreVms: 80,
  exceeds: false,
  adaptorLimit: { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm', text: null, value: null },
  error: null,
  ...fields,
});
