// The backend's answer to GET /api/v1/capacity/room, for the limit editors' tests: an AWS account
// whose peer pods get m6a.large (2 vCPUs) and whose vCPU quota has 64 free, peer-pods-cm without
// PEERPODS_LIMIT_PER_NODE.
import type { CapacityRoom, VcpuQuota } from '../../../../api/backend';
import { DEFAULT_PEER_POD_CONFIG } from '../../../../models/PeerPodConfig';

export const STANDARD_QUOTA_NAME = 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances';

export const knownQuota = (free: number): VcpuQuota => ({
  code: 'L-1216C47A',
  name: STANDARD_QUOTA_NAME,
  state: 'known',
  limit: 640,
  used: 640 - free,
  free,
  permission: null,
  detail: null,
});

/** The quota the backend's credentials may not read. */
export const refusedQuota: VcpuQuota = {
  code: 'L-1216C47A',
  name: STANDARD_QUOTA_NAME,
  state: 'not-permitted',
  limit: null,
  used: null,
  free: null,
  permission: 'servicequotas:GetServiceQuota',
  detail: null,
};

/** The room with `fields` replaced; the verdict fields are the backend's and the editors recompute them. */
export const capacityRoom = (fields: Partial<CapacityRoom> = {}): CapacityRoom => ({
  provider: 'aws',
  region: 'us-east-2',
  fetchedAt: '2025-01-01T12:00:00.000Z',
  defaultSize: 'm6a.large',
  defaultSizeSource: 'adaptor-default',
  allowedSizes: [],
  sizes: [{ name: 'm6a.large', vcpus: 2, memoryMiB: 8192, gpus: 0, quota: 'L-1216C47A' }],
  quotas: [knownQuota(64)],
  promisedVms: 0,
  usedVms: 0,
  vcpusPerVm: 2,
  freeVcpus: 64,
  promisedVcpus: 0,
  stillPromisedVms: 0,
  moreVms: 32,
  exceeds: false,
  adaptorLimit: { namespace: DEFAULT_PEER_POD_CONFIG.namespace, name: 'peer-pods-cm', text: null, value: null },
  error: null,
  ...fields,
});
