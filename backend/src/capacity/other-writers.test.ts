import { describe, expect, it } from 'vitest';
import type { Desired } from './desired.ts';
import { flapOf, otherWritersOf } from './other-writers.ts';

const OURS = 'peer-pods-console';
const override2: { desired: Desired } = { desired: { state: 'advertise', value: 2, source: 'override' } };
const view = (capacity: string | undefined, capacityManagers: string[]) => ({
  metadata: { name: 'w1' },
  capacity,
  capacityManagers,
});

describe('otherWritersOf', () => {
  it('names every owner but the reconciler, sorted', () => {
    expect(otherWritersOf({ capacityManagers: ['manager', OURS, 'kubectl-patch'] }, OURS)).toEqual([
      'kubectl-patch',
      'manager',
    ]);
    expect(otherWritersOf({ capacityManagers: [OURS] }, OURS)).toEqual([]);
  });
});

describe('flapOf', () => {
  it('is a change away from the limit whose value another manager owns', () => {
    expect(flapOf({ capacity: '2' }, view('10', ['manager']), override2, OURS)).toEqual({
      node: 'w1',
      writer: 'manager',
      value: '10',
      desired: 2,
    });
  });

  it('counts a value written where the node must carry none', () => {
    expect(
      flapOf({ capacity: undefined }, view('10', ['manager']), { desired: { state: 'absent' } }, OURS),
    ).toMatchObject({ writer: 'manager', desired: null });
  });

  it.each([
    { name: 'the value did not change', before: '10', after: view('10', ['manager']), decision: override2 },
    {
      name: 'there was no node before (the first listing)',
      before: undefined,
      after: view('10', ['manager']),
      decision: override2,
    },
    { name: 'the new value is the limit', before: '4', after: view('2', ['manager']), decision: override2 },
    { name: 'the reconciler wrote it', before: '2', after: view('10', [OURS]), decision: override2 },
    { name: 'nobody owns it any more (removed)', before: '2', after: view(undefined, []), decision: override2 },
    {
      name: 'cloud-api-adaptor owns the node',
      before: '2',
      after: view('10', ['cloud-api-adaptor']),
      decision: { ...override2, caaOwner: 'pod-uid' },
    },
    {
      name: 'the limit is undetermined (the reconciler leaves the node alone)',
      before: '2',
      after: view('10', ['manager']),
      decision: { desired: { state: 'undetermined', config: { namespace: 'ns', name: 'c' } } as Desired },
    },
  ])('is none when $name', ({ before, after, decision }) => {
    expect(flapOf(before === undefined ? undefined : { capacity: before }, after, decision, OURS)).toBeUndefined();
  });
});
