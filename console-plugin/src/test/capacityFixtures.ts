// The backend's capacity answers (GET /api/v1/capacity, /capacity/nodes/:name) for component tests.
import { BACKEND_API_BASE, type CapacitySummary, type NodeCapacity, type NodeCapacityDetail } from '../api/backend';
import { DEFAULT_PEER_POD_CONFIG } from '../models/PeerPodConfig';
import { consoleFetchJSON } from './sdk-mock';

/**
 * Programs the backend behind consoleFetchJSON: a path under /api/v1 (e.g. `/capacity`) answers
 * with its value, or fails with it when it is an Error; other paths never answer.
 */
export const serveBackend = (answers: Record<string, unknown>): void => {
  consoleFetchJSON.mockImplementation((url: string) => {
    const full = url.startsWith(BACKEND_API_BASE) ? url.slice(BACKEND_API_BASE.length) : url;
    // An answer for the exact path and query, else for the path alone (e.g. /capacity/room?fresh=true).
    const path = full in answers ? full : full.split('?')[0]!;
    if (!(path in answers)) return new Promise(() => undefined);
    const answer = answers[path];
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  });
};

/** The backend calls made so far, as paths under /api/v1. */
export const backendCalls = (): string[] =>
  consoleFetchJSON.mock.calls.map(([url]) => url.slice(BACKEND_API_BASE.length));

/** A node selected by peerpodconfig-openshift with limit 10, advertised and idle, unless overridden. */
export const nodeCapacity = (name: string, fields: Partial<NodeCapacity> = {}): NodeCapacity => {
  const desired = fields.desired === undefined ? 10 : fields.desired;
  const advertised = fields.advertised === undefined ? desired : fields.advertised;
  const allocatable = fields.allocatable === undefined ? advertised : fields.allocatable;
  const used = fields.used ?? 0;
  return {
    name,
    source: 'config',
    config: { ...DEFAULT_PEER_POD_CONFIG },
    matchedConfigs: [{ ...DEFAULT_PEER_POD_CONFIG }],
    override: null,
    desiredState: 'advertise',
    used,
    free: Math.max(0, (allocatable ?? 0) - used),
    overcommitted: used > (allocatable ?? 0),
    pods: used,
    pendingHere: 0,
    pendingPinned: 0,
    drift: null,
    caaOwner: null,
    problems: [],
    vms: [],
    otherWriters: [],
    flaps: 0,
    lastFlap: null,
    ...fields,
    desired,
    advertised,
    allocatable,
  };
};

/** A node that no PeerPodConfig selects and that runs no peer pods (a control-plane node, say). */
export const unrelatedNodeCapacity = (name: string): NodeCapacity =>
  nodeCapacity(name, {
    source: 'none',
    config: null,
    matchedConfigs: [],
    desiredState: 'absent',
    desired: null,
    advertised: null,
    allocatable: null,
  });

/** A summary whose totals add up the given nodes, as the backend's model does. */
export const capacitySummary = (nodes: NodeCapacity[], fields: Partial<CapacitySummary> = {}): CapacitySummary => {
  const sum = (pick: (node: NodeCapacity) => number) => nodes.reduce((total, node) => total + pick(node), 0);
  return {
    revision: 1,
    generatedAt: '2025-01-01T12:00:00.000Z',
    extendedResource: 'kata.peerpods.io/vm',
    targetRuntimeClass: 'kata-remote',
    orphans: 0,
    totals: {
      nodes: nodes.length,
      matchingNodes: nodes.filter((node) => node.desiredState === 'advertise').length,
      advertisedNodes: nodes.filter((node) => node.advertised !== null).length,
      capacity: sum((node) => node.advertised ?? 0),
      allocatable: sum((node) => node.allocatable ?? 0),
      desired: sum((node) => node.desired ?? 0),
      used: sum((node) => node.used),
      free: sum((node) => node.free),
      driftNodes: nodes.filter((node) => node.drift !== null).length,
      caaOwnedNodes: nodes.filter((node) => node.caaOwner !== null).length,
      otherWriterNodes: nodes.filter((node) => node.otherWriters.length > 0).length,
      otherWriters: [...new Set(nodes.flatMap((node) => node.otherWriters))].sort(),
      flaps: sum((node) => node.flaps),
      pendingForCapacity: fields.pending?.length ?? 0,
      unaccounted: fields.unaccounted?.length ?? 0,
      peerPods: sum((node) => node.pods),
      vms: sum((node) => node.vms.length),
    },
    nodes,
    configs: [
      {
        ...DEFAULT_PEER_POD_CONFIG,
        limit: '10',
        validLimit: 10,
        problem: null,
        nodeSelector: { 'node-role.kubernetes.io/kata-oc': '' },
        nodes: nodes.filter((node) => node.source === 'config').length,
      },
    ],
    pending: [],
    unaccounted: [],
    podNames: 'shown',
    ...fields,
  };
};

export const nodeCapacityDetail = (
  node: NodeCapacity,
  fields: Partial<NodeCapacityDetail> = {},
): NodeCapacityDetail => ({
  revision: 1,
  node,
  unaccounted: [],
  podNames: 'shown',
  ...fields,
});
