import { describe, expect, it } from 'vitest';
import { checkAdvertisedCapacity } from './advertised-capacity.ts';

const resource = 'kata.peerpods.io/vm';
const node = (name: string, advertised: number | null, drift: 'not-advertised' | 'differs' | null = null) => ({
  name,
  desiredState: 'advertise' as const,
  advertised,
  drift,
});

describe('checkAdvertisedCapacity', () => {
  it('passes when every matching node advertises the resource', () => {
    const result = checkAdvertisedCapacity({
      synced: true,
      extendedResource: resource,
      nodes: [node('a', 10), node('b', 10), { name: 'master', desiredState: 'absent', advertised: null, drift: null }],
    });
    expect(result).toMatchObject({
      status: 'pass',
      found: { message: 'All 2 matching nodes advertise kata.peerpods.io/vm (20 VMs in all).' },
    });
  });

  it('fails on matching nodes without the resource and points to the capacity page', () => {
    const result = checkAdvertisedCapacity({
      synced: true,
      extendedResource: resource,
      nodes: [node('a', 10), node('b', null, 'not-advertised')],
    });
    expect(result).toEqual({
      status: 'fail',
      found: expect.objectContaining({ message: '1 of 2 matching nodes do not advertise kata.peerpods.io/vm: b.' }),
      fix: { kind: 'action', action: 'open-capacity' },
    });
  });

  it('warns while the model has not read the nodes yet', () => {
    expect(checkAdvertisedCapacity({ synced: false, extendedResource: resource, nodes: [] }).found.key).toBe(
      'capacityNotSynced',
    );
  });
});
