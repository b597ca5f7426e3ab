import { nodeCapacity, unrelatedNodeCapacity } from '../../../test/capacityFixtures';
import {
  isPeerPodNode,
  problemsOf,
  nameRanksOf,
  sortNodes,
  utilisationLevelOf,
  utilisationOf,
  visibleNodes,
} from './nodeCapacityRows';

describe('node table rows', () => {
  it('keeps nodes that run or may run peer pods and leaves the others out', () => {
    expect(isPeerPodNode(nodeCapacity('a'))).toBe(true);
    expect(isPeerPodNode(unrelatedNodeCapacity('master-0'))).toBe(false);
    expect(isPeerPodNode({ ...unrelatedNodeCapacity('b'), pods: 1 })).toBe(true);
    expect(isPeerPodNode({ ...unrelatedNodeCapacity('c'), advertised: 10, drift: 'unexpected' })).toBe(true);
    expect(isPeerPodNode({ ...unrelatedNodeCapacity('d'), otherWriters: ['manager'], flaps: 1 })).toBe(true);
    expect(isPeerPodNode({ ...unrelatedNodeCapacity('e'), pendingPinned: 2 })).toBe(true);
  });

  it('counts peer pods pinned to a node and waiting for it as pending there', () => {
    expect(problemsOf(nodeCapacity('a', { pendingPinned: 3 }))).toEqual(['pending']);
  });

  it('finds every kind of problem of a node', () => {
    const node = nodeCapacity('a', {
      drift: 'differs',
      pendingHere: 1,
      overcommitted: true,
      problems: ['bad'],
      vms: [{ id: 'i-1', name: 'vm' }],
      otherWriters: ['manager'],
    });
    expect(problemsOf(node)).toEqual(['drift', 'pending', 'orphans', 'overcommitted', 'misconfigured', 'other-writer']);
    expect(problemsOf(nodeCapacity('b'))).toEqual([]);
  });

  it('rates utilisation against allocatable: amber from 80 %, red when full', () => {
    expect(utilisationOf({ used: 0, allocatable: null })).toBeUndefined();
    expect(utilisationOf({ used: 2, allocatable: 0 })).toBe(100);
    expect(utilisationOf({ used: 1, allocatable: 3 })).toBe(33);
    expect(utilisationLevelOf({ used: 7, allocatable: 10, overcommitted: false })).toBe('normal');
    expect(utilisationLevelOf({ used: 8, allocatable: 10, overcommitted: false })).toBe('warning');
    expect(utilisationLevelOf({ used: 10, allocatable: 10, overcommitted: false })).toBe('danger');
    expect(utilisationLevelOf({ used: 11, allocatable: 10, overcommitted: true })).toBe('danger');
  });

  it('sorts numbers numerically, missing values first, ties by name', () => {
    const nodes = [
      nodeCapacity('n-10', { advertised: 5 }),
      nodeCapacity('n-9', { advertised: null, allocatable: null, drift: 'not-advertised' }),
      nodeCapacity('n-2', { advertised: 5 }),
      nodeCapacity('n-1', { advertised: 20 }),
    ];
    const names = (column: Parameters<typeof sortNodes>[1]) => sortNodes(nodes, column).map((node) => node.name);
    expect(names({ column: 'name', direction: 'asc' })).toEqual(['n-1', 'n-2', 'n-9', 'n-10']);
    expect(names({ column: 'limit', direction: 'asc' })).toEqual(['n-9', 'n-2', 'n-10', 'n-1']);
    expect(names({ column: 'limit', direction: 'desc' })).toEqual(['n-1', 'n-2', 'n-10', 'n-9']);
  });

  it('ranks names in the collator order whether or not the rows come in it, and reuses the ranks while the names stay', () => {
    const inOrder = ['n-1', 'n-2', 'n-9', 'n-10'].map((name) => nodeCapacity(name));
    const ranks = nameRanksOf(inOrder);
    expect([...ranks]).toEqual([
      ['n-1', 0],
      ['n-2', 1],
      ['n-9', 2],
      ['n-10', 3],
    ]);
    // A live update replaces row objects but keeps the names: the same ranks.
    expect(nameRanksOf(inOrder.map((node) => ({ ...node, used: 1 })))).toBe(ranks);
    const shuffled = ['n-10', 'n-9', 'n-1', 'n-2'].map((name) => nodeCapacity(name, { used: 1 }));
    expect(Object.fromEntries(nameRanksOf(shuffled))).toEqual({ 'n-1': 0, 'n-2': 1, 'n-9': 2, 'n-10': 3 });
    expect(sortNodes(shuffled, { column: 'used', direction: 'desc' }).map((node) => node.name)).toEqual([
      'n-1',
      'n-2',
      'n-9',
      'n-10',
    ]);
  });

  // How fast this is on 1,000 nodes is bench/browser's question (sort and filter), not a test's.
  it('filters nodes by name and problem together and sorts what is left', () => {
    const nodes = Array.from({ length: 40 }, (_, index) =>
      nodeCapacity(`worker-${index}`, { used: index % 13, drift: index % 7 === 0 ? 'differs' : null }),
    );
    const rows = visibleNodes(nodes, {
      nameFilter: 'worker-1',
      problemFilter: 'drift',
      sort: { column: 'utilisation', direction: 'desc' },
    });
    expect(rows.every((node) => node.name.includes('worker-1') && node.drift !== null)).toBe(true);
    expect(rows.map((node) => node.name)).toEqual(['worker-14']);
  });
});
