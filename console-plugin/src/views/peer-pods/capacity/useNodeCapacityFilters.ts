import { useMemo, useState } from 'react';

import type { NodeCapacity } from '../../../api/backend';
import { type TablePage, useTablePage } from '../../../hooks/useTablePage';
import { type NodeSort, type ProblemFilter, isPeerPodNode, nameRanksOf, visibleNodes } from './nodeCapacityRows';

const DEFAULT_PER_PAGE = 20;

export type NodeCapacityFilters = {
  nameFilter: string;
  problemFilter: ProblemFilter;
  sort: NodeSort;
  /** Each of these also goes back to the first page. */
  setNameFilter: (nameFilter: string) => void;
  setProblemFilter: (problemFilter: ProblemFilter) => void;
  setSort: (sort: NodeSort) => void;
  /** Clears the name and the status filter; the order stays. */
  clearFilters: () => void;
  /** The peer-pod nodes that pass the filters, sorted: every page. */
  rows: NodeCapacity[];
  /** The peer-pod nodes before filtering; none means there is nothing to filter. */
  peerPodNodeCount: number;
  page: TablePage<NodeCapacity>;
};

/** The node table's toolbar state (name and status filter, order, page) and the rows it leaves. */
export const useNodeCapacityFilters = (nodes: NodeCapacity[]): NodeCapacityFilters => {
  const [nameFilter, setNameFilter] = useState('');
  const [problemFilter, setProblemFilter] = useState<ProblemFilter>('all');
  const [sort, setSort] = useState<NodeSort>({ column: 'name', direction: 'asc' });

  const peerPodNodeCount = useMemo(() => nodes.filter(isPeerPodNode).length, [nodes]);
  const ranks = useMemo(() => nameRanksOf(nodes), [nodes]);
  const rows = useMemo(
    () => visibleNodes(nodes, { nameFilter, problemFilter, sort }, ranks),
    [nodes, nameFilter, problemFilter, sort, ranks],
  );
  const page = useTablePage(rows, DEFAULT_PER_PAGE);

  return {
    nameFilter,
    problemFilter,
    sort,
    setNameFilter: (value) => {
      setNameFilter(value);
      page.toFirstPage();
    },
    setProblemFilter: (value) => {
      setProblemFilter(value);
      page.toFirstPage();
    },
    setSort: (value) => {
      setSort(value);
      page.toFirstPage();
    },
    clearFilters: () => {
      setNameFilter('');
      setProblemFilter('all');
      page.toFirstPage();
    },
    rows,
    peerPodNodeCount,
    page,
  };
};
