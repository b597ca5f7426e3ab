import type { NodeKind } from '../../../models/Node';
import { PEER_POD_VM_RESOURCE } from '../../../models/PeerPodConfig';

export type NodeVmCapacityStatus =
  /** The node advertises the configured limit. */
  | 'advertised'
  /** A selected node without the extended resource: the scheduler places no peer pod there. */
  | 'not-advertised'
  /** The node advertises an amount other than the configured limit. */
  | 'differs-from-limit';

export type NodeVmCapacity = {
  name: string;
  /** `status.capacity["kata.peerpods.io/vm"]` as the API server holds it. */
  capacity: string | undefined;
  /** `status.allocatable["kata.peerpods.io/vm"]`: what the scheduler counts against. */
  allocatable: string | undefined;
  status: NodeVmCapacityStatus;
};

/**
 * How a node stands against the PeerPodConfig limit. `limit` undefined means the config sets
 * none, so any advertised amount is accepted.
 */
export const nodeVmCapacity = (node: NodeKind, limit: string | undefined): NodeVmCapacity => {
  const capacity = node.status?.capacity?.[PEER_POD_VM_RESOURCE];
  const allocatable = node.status?.allocatable?.[PEER_POD_VM_RESOURCE];
  const advertised = allocatable ?? capacity;
  let status: NodeVmCapacityStatus = 'advertised';
  if (advertised === undefined) {
    status = 'not-advertised';
  } else if (limit !== undefined && (Number(capacity) !== Number(limit) || Number(allocatable) !== Number(limit))) {
    status = 'differs-from-limit';
  }
  return { name: node.metadata?.name ?? '', capacity, allocatable, status };
};

export const nodeVmCapacities = (nodes: NodeKind[], limit: string | undefined): NodeVmCapacity[] =>
  nodes.map((node) => nodeVmCapacity(node, limit)).sort((a, b) => a.name.localeCompare(b.name));
