import { capacitySummary, nodeCapacity } from '../../../../test/capacityFixtures';
import { DEFAULT_PEER_POD_CONFIG } from '../../../../models/PeerPodConfig';
import { convergenceOf, nodeConverged, nodesAboveLimit, validateLimit } from './limitValidation';

describe('validateLimit', () => {
  it.each([
    ['10', 10],
    ['0', 0],
    [' 7 ', 7],
    ['007', 7],
    ['1000', 1000],
  ])('accepts %j as %d', (input, value) => {
    expect(validateLimit(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-1', 'negative'],
    ['-0', 'negative'],
    ['1.5', 'not-whole'],
    ['0.0001', 'not-whole'],
    ['abc', 'not-a-number'],
    ['1e3', 'not-a-number'],
    ['+5', 'not-a-number'],
    ['0x10', 'not-a-number'],
    ['1 000', 'not-a-number'],
    ['Infinity', 'not-a-number'],
    ['1001', 'too-large'],
    ['100000', 'too-large'],
    ['99999999999999999999999', 'too-large'],
  ])('refuses %j as %s', (input, problem) => {
    expect(validateLimit(input)).toEqual({ ok: false, problem });
  });
});

describe('nodesAboveLimit', () => {
  it('names the nodes of the config that run more than the limit, not overridden or CAA-owned ones', () => {
    const nodes = [
      nodeCapacity('a', { used: 6 }),
      nodeCapacity('b', { used: 5 }),
      nodeCapacity('c', { used: 9, source: 'override', override: 20, desired: 20 }),
      nodeCapacity('d', { used: 9, caaOwner: 'uid' }),
      nodeCapacity('e', { used: 9, config: { namespace: 'other', name: 'cfg' } }),
    ];
    expect(nodesAboveLimit(nodes, DEFAULT_PEER_POD_CONFIG, 5).map((node) => node.name)).toEqual(['a']);
  });
});

describe('convergenceOf', () => {
  it('counts a node as converged only when it should, and does, advertise the new limit', () => {
    const { nodes } = capacitySummary([
      // the backend has not seen the change yet: desired is the old limit
      nodeCapacity('a', { desired: 10, advertised: 10 }),
      nodeCapacity('b', { desired: 12, advertised: 10, drift: 'differs' }),
      nodeCapacity('c', { desired: 12, advertised: 12, allocatable: 10 }),
      nodeCapacity('d', { desired: 12, advertised: 12 }),
      nodeCapacity('e', { source: 'override', override: 3, desired: 3 }),
      nodeCapacity('f', { caaOwner: 'uid' }),
    ]);
    const convergence = convergenceOf(nodes, DEFAULT_PEER_POD_CONFIG, 12);
    expect(convergence).toMatchObject({ total: 4, converged: 1, overridden: 1, caaOwned: 1 });
    expect(convergence.waiting.map((node) => node.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('nodeConverged', () => {
  it('wants the override advertised while one is set', () => {
    expect(nodeConverged(nodeCapacity('a', { source: 'override', override: 4, desired: 4 }), 4)).toBe(true);
    expect(nodeConverged(nodeCapacity('a', { source: 'override', override: 4, desired: 4, advertised: 10 }), 4)).toBe(
      false,
    );
    expect(nodeConverged(nodeCapacity('a'), 4)).toBe(false);
  });

  it('wants what the config decides once the override is gone', () => {
    expect(nodeConverged(nodeCapacity('a'), null)).toBe(true);
    expect(nodeConverged(nodeCapacity('a', { source: 'override', override: 4, desired: 4 }), null)).toBe(false);
    expect(
      nodeConverged(
        nodeCapacity('a', { source: 'none', desiredState: 'absent', desired: null, advertised: null }),
        null,
      ),
    ).toBe(true);
  });
});
