// Kubernetes objects as the API server returns them, for component tests.
import type { Permissions } from '../api/backend';
import type { NodeKind } from '../models/Node';
import type { InventoryVm } from '../views/peer-pods/virtual-machines/vmInventoryRows';
import { DEFAULT_PEER_POD_CONFIG, PEER_POD_VM_RESOURCE, PeerPodConfigKind } from '../models/PeerPodConfig';

export const KATA_NODE_LABEL = 'node-role.kubernetes.io/kata-oc';

export const peerPodConfig = (spec: Partial<PeerPodConfigKind['spec']> = {}): PeerPodConfigKind => ({
  apiVersion: 'confidentialcontainers.org/v1alpha1',
  kind: 'PeerPodConfig',
  metadata: { ...DEFAULT_PEER_POD_CONFIG },
  spec: {
    cloudSecretName: 'peer-pods-secret',
    configMapName: 'peer-pods-cm',
    limit: '10',
    nodeSelector: { [KATA_NODE_LABEL]: '' },
    ...spec,
  },
});

type NodeOptions = {
  labels?: Record<string, string>;
  /** `kata.peerpods.io/vm` in status.capacity; omitted when undefined. */
  vmCapacity?: string;
  /** `kata.peerpods.io/vm` in status.allocatable; omitted when undefined. */
  vmAllocatable?: string;
};

export const node = (
  name: string,
  { labels = { [KATA_NODE_LABEL]: '' }, vmCapacity, vmAllocatable }: NodeOptions = {},
): NodeKind => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: { providerID: `aws:///us-east-1a/i-${name}` },
  status: {
    capacity: { cpu: '4', memory: '16Gi', pods: '250', ...(vmCapacity ? { [PEER_POD_VM_RESOURCE]: vmCapacity } : {}) },
    allocatable: {
      cpu: '3500m',
      memory: '15Gi',
      pods: '250',
      ...(vmAllocatable ? { [PEER_POD_VM_RESOURCE]: vmAllocatable } : {}),
    },
  },
});

/** A VM of the inventory table: running, claimed by nobody, not (yet) an orphan. */
export const inventoryVm = (name: string, overrides: Partial<InventoryVm> = {}): InventoryVm => ({
  id: `i-${name}`,
  name,
  state: 'running',
  instanceType: null,
  launchedAt: null,
  pod: null,
  nodeName: null,
  peerPod: null,
  orphan: false,
  orphanReason: null,
  zone: null,
  image: null,
  vcpus: null,
  memoryMiB: null,
  ...overrides,
});

/** GET /permissions of an admin: reads and changes everything. */
export const ADMIN_PERMISSIONS: Permissions = {
  user: 'admin',
  canRead: true,
  canChangeCloud: true,
  canReadCloud: true,
  canListPods: true,
};

/** GET /permissions of a viewer: reads the cloud, changes nothing, sees no pod names. */
export const VIEWER_PERMISSIONS: Permissions = {
  user: 'viewer',
  canRead: true,
  canChangeCloud: false,
  canReadCloud: true,
  canListPods: false,
};
