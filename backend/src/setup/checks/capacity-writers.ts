// Another controller writing the extended resource (the operator's embedded peerpodconfig-ctrl
// writes spec.limit to every node it selects on each PeerPodConfig reconcile) overwrites per-node
// overrides until the reconciler sets them back. Read from the capacity model's rows: who else
// owns a node's capacity, and how often it changed a node away from its limit.
import type { NodeCapacity } from '@peer-pods-console/contract';
import { action, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';

export interface CapacityWritersInput {
  /** Whether the capacity model has read every node yet. */
  synced: boolean;
  extendedResource: string;
  nodes: readonly Pick<NodeCapacity, 'name' | 'otherWriters' | 'flaps'>[];
}

export function checkCapacityWriters(input: CapacityWritersInput): CheckOutcome {
  const resource = input.extendedResource;
  if (!input.synced) return warning('capacityNotSynced');
  const written = input.nodes.filter((n) => n.otherWriters.length > 0);
  if (written.length === 0) return pass('capacityWritersNone', { resource });
  const writers = [...new Set(written.flatMap((n) => n.otherWriters))].sort();
  // The nodes that flapped most come first: they are the ones an admin looks at.
  const nodes = [...written].sort((a, b) => b.flaps - a.flaps || a.name.localeCompare(b.name)).map((n) => n.name);
  return warning(
    'capacityOtherWriters',
    {
      writers: writers.join(', '),
      resource,
      number: written.length,
      nodes: listOf(nodes),
      flaps: written.reduce((sum, n) => sum + n.flaps, 0),
    },
    action('open-capacity'),
  );
}
