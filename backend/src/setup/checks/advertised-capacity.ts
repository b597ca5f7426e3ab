// Every node a PeerPodConfig (or an override) selects must advertise kata.peerpods.io/vm, or the
// scheduler places no peer pod there. Read from the capacity model's rows.
import type { NodeCapacity } from '@peer-pods-console/contract';
import { action, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';

export interface AdvertisedCapacityInput {
  /** Whether the capacity model has read every node yet. */
  synced: boolean;
  extendedResource: string;
  nodes: readonly Pick<NodeCapacity, 'name' | 'desiredState' | 'advertised' | 'drift'>[];
}

export function checkAdvertisedCapacity(input: AdvertisedCapacityInput): CheckOutcome {
  const resource = input.extendedResource;
  if (!input.synced) return warning('capacityNotSynced');
  const matching = input.nodes.filter((n) => n.desiredState !== 'absent');
  if (matching.length === 0) return warning('capacityNoMatchingNodes', { resource });
  const silent = matching.filter((n) => n.advertised === null).map((n) => n.name);
  if (silent.length > 0) {
    return fail(
      'capacityNotAdvertised',
      { number: silent.length, total: matching.length, resource, nodes: listOf(silent) },
      action('open-capacity'),
    );
  }
  const differing = matching.filter((n) => n.drift === 'differs').map((n) => n.name);
  if (differing.length > 0)
    return warning('capacityDrift', { resource, nodes: listOf(differing) }, action('open-capacity'));
  const capacity = matching.reduce((sum, n) => sum + (n.advertised ?? 0), 0);
  return pass('capacityOk', { total: matching.length, resource, capacity });
}
