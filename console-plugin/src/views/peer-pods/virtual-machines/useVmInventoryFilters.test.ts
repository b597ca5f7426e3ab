import { createElement, type ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { MemoryRouter, useLocation, useNavigationType } from 'react-router-dom-v5-compat';

import { useVmInventoryFilters } from './useVmInventoryFilters';
import { inventoryVm } from '../../../test/fixtures';
import type { InventoryVm } from './vmInventoryRows';

const vm = (name: string, overrides: Partial<InventoryVm> = {}): InventoryVm =>
  inventoryVm(name, { zone: null, image: null, vcpus: null, memoryMiB: null, ...overrides });

/** The hook at `url` on the Virtual machines tab, with the address it leaves and how it got there. */
const renderFilters = (vms: InventoryVm[], url = '/peer-pods/virtual-machines') =>
  renderHook(() => ({ ...useVmInventoryFilters(vms), location: useLocation(), navigationType: useNavigationType() }), {
    wrapper: ({ children }: { children: ReactNode }) =>
      createElement(MemoryRouter, { initialEntries: ['/peer-pods/capacity', url], initialIndex: 1 }, children),
  });

const orphan = (name: string) => vm(name, { orphan: true, orphanReason: 'nobody claims it' });

const names = (vms: InventoryVm[]) => vms.map((entry) => entry.name);

const manyVms = (count: number) => Array.from({ length: count }, (_, index) => vm(`podvm-${index + 1}`));

describe('useVmInventoryFilters', () => {
  it('lists orphans first, then the other VMs by name, 20 a page', () => {
    const { result } = renderFilters([vm('podvm-b'), orphan('podvm-c'), vm('podvm-a')]);
    expect(names(result.current.visible)).toEqual(['podvm-c', 'podvm-a', 'podvm-b']);
    expect(result.current.sort).toEqual({ column: 'status', direction: 'asc' });
    expect(result.current.page.perPage).toBe(20);
  });

  it('shows only orphans on request, and counts the orphans whatever the filters', () => {
    const { result } = renderFilters([vm('podvm-a'), orphan('podvm-b'), orphan('podvm-c')]);
    act(() => result.current.updateFilters({ orphansOnly: true }));
    expect(names(result.current.visible)).toEqual(['podvm-b', 'podvm-c']);
    act(() => result.current.updateFilters({ text: 'podvm-c' }));
    expect(names(result.current.visible)).toEqual(['podvm-c']);
    expect(result.current.orphanCount).toBe(2);
  });

  it('filters by text in the name, id, pod or node', () => {
    const { result } = renderFilters([
      vm('podvm-a', { nodeName: 'worker-1' }),
      vm('podvm-b', { nodeName: 'worker-2' }),
    ]);
    act(() => result.current.updateFilters({ text: 'WORKER-2' }));
    expect(names(result.current.visible)).toEqual(['podvm-b']);
  });

  it('goes back to the first page when a filter changes or is cleared', () => {
    const { result } = renderFilters(manyVms(70));
    for (const change of [() => result.current.updateFilters({ text: 'podvm' }), () => result.current.clearFilters()]) {
      act(() => result.current.page.setPage(3));
      act(change);
      expect(result.current.page.page).toBe(1);
    }
  });

  it('keeps the page when the order changes', () => {
    const { result } = renderFilters(manyVms(70));
    act(() => result.current.page.setPage(3));
    act(() => result.current.setSort({ column: 'name', direction: 'desc' }));
    expect(result.current.page.page).toBe(3);
    expect(result.current.sort).toEqual({ column: 'name', direction: 'desc' });
  });

  it('clears the text and the orphans-only switch', () => {
    const { result } = renderFilters([vm('podvm-a'), orphan('podvm-b')]);
    act(() => result.current.updateFilters({ text: 'nothing matches', orphansOnly: true }));
    expect(result.current.visible).toEqual([]);
    act(() => result.current.clearFilters());
    expect(result.current.filters).toEqual({ text: '', orphansOnly: false });
    expect(result.current.visible).toHaveLength(2);
  });

  it('starts with orphans only when the address asks for it', () => {
    const { result } = renderFilters([vm('podvm-a'), orphan('podvm-b')], '/peer-pods/virtual-machines?orphans=true');
    expect(result.current.filters.orphansOnly).toBe(true);
    expect(names(result.current.visible)).toEqual(['podvm-b']);
  });

  it('keeps the address in step with the switch, replacing the history entry', () => {
    const { result } = renderFilters([vm('podvm-a'), orphan('podvm-b')], '/peer-pods/virtual-machines?other=1');

    act(() => result.current.updateFilters({ orphansOnly: true }));
    expect(result.current.location.search).toBe('?other=1&orphans=true');
    expect(result.current.navigationType).toBe('REPLACE');

    act(() => result.current.updateFilters({ orphansOnly: false }));
    expect(result.current.location.search).toBe('?other=1');
    expect(result.current.filters.orphansOnly).toBe(false);
  });

  it('leaves the address alone when only the text changes', () => {
    const { result } = renderFilters([vm('podvm-a')], '/peer-pods/virtual-machines?orphans=true');

    act(() => result.current.updateFilters({ text: 'podvm' }));

    expect(result.current.location.search).toBe('?orphans=true');
    expect(result.current.navigationType).toBe('POP');
  });

  it('clears orphans only from the address too', () => {
    const { result } = renderFilters([vm('podvm-a'), orphan('podvm-b')], '/peer-pods/virtual-machines?orphans=true');

    act(() => result.current.clearFilters());

    expect(result.current.location.search).toBe('');
    expect(result.current.visible).toHaveLength(2);
  });
});
