// Other writers of the extended resource: field managers other than the reconciler's own that
// own a node's status.capacity[kata.peerpods.io/vm] (read from managedFields, objects.ts), and
// the "flaps" they cause — a change of the advertised value away from the node's decided limit.
//
// The known one is the sandboxed containers operator's embedded peerpodconfig-ctrl: on every
// PeerPodConfig reconcile it JSON-patches status.capacity of every node its nodeSelector matches
// to spec.limit, unconditionally and without a field manager, so the API server records its
// binary's name ("manager"). The reconciler sets such a node back on the node's update event
// (RELIABILITY.md, "Another writer of the extended resource").
import { driftOf, type Desired } from './desired.ts';
import type { NodeView } from './objects.ts';

/** One change of a node's advertised value away from its limit, by another field manager. */
export interface CapacityFlap {
  node: string;
  /** The field manager that owns the value now (several, sorted and joined, in the rare shared case). */
  writer: string;
  /** The value it wrote; undefined when it removed the resource. */
  value: string | undefined;
  /** The node's decided limit at that moment; null when the node must not carry the resource. */
  desired: number | null;
}

/** The managers of a node's capacity other than ours, sorted. */
export function otherWritersOf(view: Pick<NodeView, 'capacityManagers'>, fieldManager: string): string[] {
  return view.capacityManagers.filter((m) => m !== fieldManager).sort();
}

/**
 * The flap an update of a node shows, if any: its advertised capacity changed, the new value is
 * not the decided one, and a manager other than ours owns it. Nodes whose advertisement
 * cloud-api-adaptor owns, and nodes whose limit is undetermined, are never written by the
 * reconciler, so nothing there is a flap.
 */
export function flapOf(
  before: Pick<NodeView, 'capacity'> | undefined,
  after: Pick<NodeView, 'capacity' | 'capacityManagers'> & { metadata: { name: string } },
  decision: { desired: Desired; caaOwner?: string },
  fieldManager: string,
): CapacityFlap | undefined {
  if (!before || before.capacity === after.capacity) return undefined;
  if (decision.caaOwner !== undefined || decision.desired.state === 'undetermined') return undefined;
  if (driftOf(decision.desired, after) === null) return undefined;
  const others = otherWritersOf(after, fieldManager);
  // A removal leaves no owner behind to name; upstream only ever adds.
  if (others.length === 0) return undefined;
  return {
    node: after.metadata.name,
    writer: others.join(', '),
    value: after.capacity,
    desired: decision.desired.state === 'advertise' ? decision.desired.value : null,
  };
}
