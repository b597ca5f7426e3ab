import { act, renderHook } from '@testing-library/react';

import { useVmInventoryFilters } from './useVmInventoryFilters';
import { inventoryVm } from '../../../test/fixtures';
import type { InventoryVm } from './vmInventoryRows';

const vm = inventoryVm;

const orphan = (name: string) => vm(name, { orphan: true, orphanReason: 'nobody claims it' });

const names = (vms: InventoryVm[]) => vms.map((entry) => entry.name);

const manyVms = (count: number) => Array.from({ length: count }, (_, index) => vm(`podvm-${index + 1}`));

describe('useVmInventoryFilters', () => {
  it('lists orphans first, then the other VMs by name, 20 a page', () => {
    const { result } = renderHook(() => useVmInventoryFilters([vm('podvm-b'), orphan('podvm-c'), vm('podvm-a')]));
    expect(names(result.current.visible)).toEqual(['podvm-c', 'podvm-a', 'podvm-b']);
    expect(result.current.sort).toEqual({ column: 'status', direction: 'asc' });
    expect(result.current.page.perPage).toBe(20);
  });

  it('shows only orphans on request, and counts the orphans whatever the filters', () => {
    const { result } = renderHook(() => useVmInventoryFilters([vm('podvm-a'), orphan('podvm-b'), orphan('podvm-c')]));
    act(() => result.current.updateFilters({ orphansOnly: true }));
    expect(names(result.current.visible)).toEqual(['podvm-b', 'podvm-c']);
    act(() => result.current.updateFilters({ text: 'podvm-c' }));
    expect(names(result.current.visible)).toEqual(['podvm-c']);
    expect(result.current.orphanCount).toBe(2);
  });

  it('filters by text in the name, id, pod or node', () => {
    const { result } = renderHook(() =>
      useVmInventoryFilters([vm('podvm-a', { nodeName: 'worker-1' }), vm('podvm-b', { nodeName: 'worker-2' })]),
    );
    act(() => result.current.updateFilters({ text: 'WORKER-2' }));
    expect(names(result.current.visible)).toEqual(['podvm-b']);
  });

  it('goes back to the first page when a filter changes or is cleared', () => {
    const { result } = renderHook(() => useVmInventoryFilters(manyVms(70)));
    for (const change of [() => result.current.updateFilters({ text: 'podvm' }), () => result.current.clearFilters()]) {
      act(() => result.current.page.setPage(3));
      act(change);
      expect(result.current.page.page).toBe(1);
    }
  });

  it('keeps the page when the order changes', () => {
    const { result } = renderHook(() => useVmInventoryFilters(manyVms(70)));
    act(() => result.current.page.setPage(3));
    act(() => result.current.setSort({ column: 'name', direction: 'desc' }));
    expect(result.current.page.page).toBe(3);
    expect(result.current.sort).toEqual({ column: 'name', direction: 'desc' });
  });

  it('clears the text and the orphans-only switch', () => {
    const { result } = renderHook(() => useVmInventoryFilters([vm('podvm-a'), orphan('podvm-b')]));
    act(() => result.current.updateFilters({ text: 'nothing matches', orphansOnly: true }));
    expect(result.current.visible).toEqual([]);
    act(() => result.current.clearFilters());
    expect(result.current.filters).toEqual({ text: '', orphansOnly: false });
    expect(result.current.visible).toHaveLength(2);
  });
});
