import { describe, expect, it } from 'vitest';
import type { CapacitySummary, NodeCapacity } from '@peer-pods-console/contract';
import { applyCapacityDelta, diffCapacity } from '@peer-pods-console/contract/capacity-delta';
import { deltaWithoutPodNames, withoutPodNames } from './pod-names.ts';

const row = (name: string, vms: NodeCapacity['vms']) => ({ name, pods: vms.length, vms }) as unknown as NodeCapacity;

const before = {
  revision: 4,
  podNames: 'shown',
  totals: { peerPods: 1 },
  nodes: [row('worker-a', []), row('worker-b', [])],
  configs: [],
  pending: [],
  unaccounted: [],
} as unknown as CapacitySummary;

const after: CapacitySummary = {
  ...before,
  revision: 6,
  totals: { ...before.totals, peerPods: 3 },
  nodes: [
    before.nodes[0]!,
    row('worker-b', [
      {
        id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/podvm-web-0-1a2b3c4d',
        name: 'podvm-web-0-1a2b3c4d',
        state: 'running',
        pod: { namespace: 'shop', name: 'web-0' },
      },
    ]),
  ],
  pending: [
    {
      namespace: 'shop',
      name: 'web-1',
      since: null,
      message: '0/2 nodes are available: persistentvolumeclaim "data-web-1" not found.',
      pinnedNode: null,
    },
  ],
  unaccounted: [
    { namespace: 'payroll', name: 'batch-7', nodeName: 'worker-a', phase: 'Running', reason: 'no request' },
  ],
};

describe('a live delta without pod names', () => {
  it('carries no pod namespace or name, nor a VM name or id or scheduler quote that embeds one', () => {
    const json = JSON.stringify(deltaWithoutPodNames(diffCapacity(before, after)));
    for (const secret of ['shop', 'web-0', 'web-1', 'payroll', 'batch-7', 'podvm-']) {
      expect(json, secret).not.toContain(secret);
    }
    expect(JSON.parse(json)).toMatchObject({ podNames: 'hidden', from: 4, to: 6 });
  });

  it('leads from the summary without pod names to the next one without them, exactly', () => {
    const hidden = applyCapacityDelta(withoutPodNames(before), deltaWithoutPodNames(diffCapacity(before, after)));
    expect(hidden).toEqual(withoutPodNames(after));
  });
});
