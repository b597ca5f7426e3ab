// What a reader who may not `list pods` cluster-wide sees of the capacity: every count and state,
// no pod's namespace or name, nor what embeds one. One rule per item, applied alike to a whole
// summary and to the items a live delta inserts, so the two always agree.
import type {
  CapacityDelta,
  CapacityListChange,
  CapacitySummary,
  NodeCapacity,
  PendingPeerPod,
  UnaccountedPeerPod,
} from '@peer-pods-console/contract';

const HIDDEN_POD = { namespace: null, name: null };

// A VM is named podvm-<pod name>-<sandbox id>, and on Azure its id ends in that name.
const nodeWithoutPodNames = (node: NodeCapacity): NodeCapacity => ({
  ...node,
  vms: node.vms.map((vm) => ({ ...vm, id: null, name: null, pod: vm.pod ? HIDDEN_POD : undefined })),
});

const pendingWithoutPodNames = (pod: PendingPeerPod): PendingPeerPod => ({
  ...pod,
  ...HIDDEN_POD,
  // The scheduler quotes the objects it names (a StatefulSet's claim "data-web-0" names its pod).
  message: pod.message.replace(/"[^"]*"/g, '"…"'),
});

const unaccountedWithoutPodNames = (pod: UnaccountedPeerPod): UnaccountedPeerPod => ({ ...pod, ...HIDDEN_POD });

/** The summary as a reader who may not list pods sees it. */
export function withoutPodNames(summary: CapacitySummary): CapacitySummary {
  return {
    ...summary,
    podNames: 'hidden',
    nodes: summary.nodes.map(nodeWithoutPodNames),
    pending: summary.pending.map(pendingWithoutPodNames),
    unaccounted: summary.unaccounted.map(unaccountedWithoutPodNames),
  };
}

/**
 * The same delta for the summary without pod names: its changes fall at the same positions (that
 * summary hides item by item), with the inserted items hidden as the summary hides them.
 */
export function deltaWithoutPodNames(delta: CapacityDelta): CapacityDelta {
  const hide = <T>(changes: CapacityListChange<T>[] | undefined, item: (value: T) => T) =>
    changes?.map((change) => ({ ...change, insert: change.insert.map(item) }));
  const hidden: CapacityDelta = { ...delta, podNames: 'hidden' };
  if (delta.nodes) hidden.nodes = hide(delta.nodes, nodeWithoutPodNames);
  if (delta.pending) hidden.pending = hide(delta.pending, pendingWithoutPodNames);
  if (delta.unaccounted) hidden.unaccounted = hide(delta.unaccounted, unaccountedWithoutPodNames);
  return hidden;
}
