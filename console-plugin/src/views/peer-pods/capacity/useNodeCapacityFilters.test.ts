import { act, renderHook } from '@testing-library/react';

import { nodeCapacity, unrelatedNodeCapacity } from '../../../test/capacityFixtures';
import { useNodeCapacityFilters } from './useNodeCapacityFilters';

const names = (nodes: { name: string }[]) => nodes.map((node) => node.name);

const workers = (count: number) => Array.from({ length: count }, (_, index) => nodeCapacity(`worker-${index + 1}`));

describe('useNodeCapacityFilters', () => {
  it('lists the peer-pod nodes by name in natural order, 20 a page, and leaves other nodes out', () => {
    const { result } = renderHook(() =>
      useNodeCapacityFilters([nodeCapacity('worker-10'), unrelatedNodeCapacity('master-0'), nodeCapacity('worker-2')]),
    );
    expect(names(result.current.rows)).toEqual(['worker-2', 'worker-10']);
    expect(result.current.peerPodNodeCount).toBe(2);
    expect(result.current.sort).toEqual({ column: 'name', direction: 'asc' });
    expect(result.current.page.perPage).toBe(20);
  });

  it('filters by a part of the node name, ignoring case', () => {
    const { result } = renderHook(() =>
      useNodeCapacityFilters([nodeCapacity('gpu-worker-1'), nodeCapacity('worker-2')]),
    );
    act(() => result.current.setNameFilter(' GPU '));
    expect(names(result.current.rows)).toEqual(['gpu-worker-1']);
  });

  it('filters by the problem picked', () => {
    const { result } = renderHook(() =>
      useNodeCapacityFilters([
        nodeCapacity('worker-1', { drift: 'differs' }),
        nodeCapacity('worker-2', { pendingHere: 2 }),
      ]),
    );
    act(() => result.current.setProblemFilter('pending'));
    expect(names(result.current.rows)).toEqual(['worker-2']);
    act(() => result.current.setProblemFilter('any'));
    expect(names(result.current.rows)).toEqual(['worker-1', 'worker-2']);
  });

  it('sorts by the column picked', () => {
    const { result } = renderHook(() =>
      useNodeCapacityFilters([nodeCapacity('worker-1', { used: 3 }), nodeCapacity('worker-2', { used: 7 })]),
    );
    act(() => result.current.setSort({ column: 'used', direction: 'desc' }));
    expect(names(result.current.rows)).toEqual(['worker-2', 'worker-1']);
  });

  it('goes back to the first page when a filter or the order changes', () => {
    const { result } = renderHook(() => useNodeCapacityFilters(workers(60)));
    const changes = [
      () => result.current.setNameFilter('worker'),
      () => result.current.setProblemFilter('all'),
      () => result.current.setSort({ column: 'name', direction: 'desc' }),
      () => result.current.clearFilters(),
    ];
    for (const change of changes) {
      act(() => result.current.page.setPage(3));
      act(change);
      expect(result.current.page.page).toBe(1);
    }
  });

  it('clears the name and the status filter but keeps the order', () => {
    const { result } = renderHook(() => useNodeCapacityFilters(workers(3)));
    act(() => {
      result.current.setNameFilter('worker-1');
      result.current.setProblemFilter('drift');
      result.current.setSort({ column: 'name', direction: 'desc' });
    });
    expect(result.current.rows).toEqual([]);
    act(() => result.current.clearFilters());
    expect(result.current.nameFilter).toBe('');
    expect(result.current.problemFilter).toBe('all');
    expect(names(result.current.rows)).toEqual(['worker-3', 'worker-2', 'worker-1']);
  });

  it('says no node runs peer pods when only unrelated nodes exist', () => {
    const { result } = renderHook(() => useNodeCapacityFilters([unrelatedNodeCapacity('master-0')]));
    expect(result.current.rows).toEqual([]);
    expect(result.current.peerPodNodeCount).toBe(0);
  });
});
