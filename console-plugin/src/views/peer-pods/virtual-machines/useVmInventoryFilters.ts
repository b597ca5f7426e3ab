import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom-v5-compat';

import { type TablePage, useTablePage } from '../../../hooks/useTablePage';
import {
  filterVms,
  type InventoryVm,
  type SortDirection,
  sortVms,
  type VmFilters,
  type VmSortColumn,
} from './vmInventoryRows';
import { ORPHANS_ONLY_PARAM } from './vmTabLinks';

const DEFAULT_PER_PAGE = 20;

export type VmSort = { column: VmSortColumn; direction: SortDirection };

export type VmInventoryFilters = {
  filters: VmFilters;
  /** Changes some of the filters and goes back to the first page. */
  updateFilters: (change: Partial<VmFilters>) => void;
  /** Clears the text and shows every VM again, from the first page. */
  clearFilters: () => void;
  sort: VmSort;
  /** Keeps the page: the same VMs, in another order. */
  setSort: (sort: VmSort) => void;
  /** The VMs that pass the filters, sorted: every page. */
  visible: InventoryVm[];
  /** Orphans among all VMs, whatever the filters. */
  orphanCount: number;
  page: TablePage<InventoryVm>;
};

/**
 * The VM table's toolbar state (text, orphans only, order, page) and the VMs it leaves. "Orphans
 * only" lives in the URL (`?orphans=true`), so that it can be linked to and survives a reload.
 */
export const useVmInventoryFilters = (vms: InventoryVm[]): VmInventoryFilters => {
  const [searchParams, setSearchParams] = useSearchParams();
  const [text, setText] = useState('');
  const [sort, setSort] = useState<VmSort>({ column: 'status', direction: 'asc' });
  const orphansOnly = searchParams.get(ORPHANS_ONLY_PARAM) === 'true';

  const filters = useMemo<VmFilters>(() => ({ text, orphansOnly }), [text, orphansOnly]);
  const visible = useMemo(() => sortVms(filterVms(vms, filters), sort.column, sort.direction), [vms, filters, sort]);
  const orphanCount = useMemo(() => vms.filter((vm) => vm.orphan).length, [vms]);
  const page = useTablePage(visible, DEFAULT_PER_PAGE);

  const updateFilters = (change: Partial<VmFilters>) => {
    if (change.text !== undefined) setText(change.text);
    if (change.orphansOnly !== undefined && change.orphansOnly !== orphansOnly) {
      const next = new URLSearchParams(searchParams);
      if (change.orphansOnly) next.set(ORPHANS_ONLY_PARAM, 'true');
      else next.delete(ORPHANS_ONLY_PARAM);
      // Replace: a switch flipped back and forth leaves no trail of history entries.
      setSearchParams(next, { replace: true });
    }
    page.toFirstPage();
  };

  return {
    filters,
    updateFilters,
    clearFilters: () => updateFilters({ text: '', orphansOnly: false }),
    sort,
    setSort,
    visible,
    orphanCount,
    page,
  };
};
