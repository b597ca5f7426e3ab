// The backend's answers to GET /api/v1/capacity/room, for component tests.
import type { CapacityRoom, VcpuQuota, VmSize } from '../api/backend';
import { DEFAULT_PEER_POD_CONFIG } from '../models/PeerPodConfig';

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

/** The same quota, which the backend's cloud credentials may not read. */
export const refusedQuota: VcpuQuota = knownQuota(0, 0, {
  state: 'not-permitted',
  limit: null,
  used: null,
  free: null,
  permission: 'servicequotas:GetServiceQuota',
});

/**
 * An AWS account in us-east-2 where peer pods get m6a.large from peer-pods-cm, 5 nodes promise 50
 * VMs of which 4 run, and the quota has 200 vCPUs of which 40 are used: room for 80 more. `fields`
 * replace what a test needs; the verdict fields are not recomputed from them.
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
  adaptorLimit: { namespace: DEFAULT_PEER_POD_CONFIG.namespace, name: 'peer-pods-cm', text: null, value: null },
  error: null,
  ...fields,
});

/**
 * The same account with no VM running yet and 64 vCPUs free in its quota: room for 32 more VMs,
 * whatever the limits promise (the editors count the promise themselves).
 */
export const roomWith64FreeVcpus = (fields: Partial<CapacityRoom> = {}): CapacityRoom =>
  capacityRoom({
    quotas: [knownQuota(64, 0)],
    promisedVms: 0,
    usedVms: 0,
    freeVcpus: 64,
    promisedVcpus: 0,
    stillPromisedVms: 0,
    moreVms: 32,
    ...fields,
  });
