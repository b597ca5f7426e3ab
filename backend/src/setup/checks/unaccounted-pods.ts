// Peer pods without a kata.peerpods.io/vm request escape every node's VM limit: they were created
// in a namespace the webhook excludes, or while it was not running. The capacity model lists them.
import type { UnaccountedPeerPod } from '@peer-pods-console/contract';
import { action, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';

export interface UnaccountedPodsInput {
  extendedResource: string;
  unaccounted: readonly Pick<UnaccountedPeerPod, 'namespace' | 'name'>[];
}

export function checkUnaccountedPods(input: UnaccountedPodsInput): CheckOutcome {
  const resource = input.extendedResource;
  if (input.unaccounted.length === 0) return pass('unaccountedNone', { resource });
  return warning(
    'unaccountedFound',
    {
      resource,
      number: input.unaccounted.length,
      pods: listOf(input.unaccounted.map((p) => `${p.namespace}/${p.name}`)),
    },
    action('open-capacity'),
  );
}
