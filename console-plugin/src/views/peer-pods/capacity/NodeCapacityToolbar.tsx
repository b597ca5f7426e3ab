import { type FC, useState } from 'react';
import {
  MenuToggle,
  Pagination,
  SearchInput,
  Select,
  SelectList,
  SelectOption,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../api/backend';
import type { TablePage } from '../../../hooks/useTablePage';
import { type ProblemFilter, problemFilters } from './nodeCapacityRows';
import type { NodeCapacityFilters } from './useNodeCapacityFilters';

const PER_PAGE_OPTIONS = [10, 20, 50, 100].map((value) => ({ title: String(value), value }));

/** The node table's pages, above it (compact, in the toolbar) or below it. */
export const NodeTablePagination: FC<{
  itemCount: number;
  page: TablePage<NodeCapacity>;
  variant: 'top' | 'bottom';
}> = ({ itemCount, page, variant }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Pagination
      itemCount={itemCount}
      perPage={page.perPage}
      page={page.page}
      perPageOptions={PER_PAGE_OPTIONS}
      onSetPage={(_event, value) => page.setPage(value)}
      onPerPageSelect={(_event, value) => page.setPerPage(value)}
      variant={variant}
      isCompact={variant === 'top'}
      titles={{
        items: t('nodes'),
        page: t('page'),
        pages: t('pages'),
        itemsPerPage: t('Nodes per page'),
        perPageSuffix: t('per page'),
        ofWord: t('of'),
        toFirstPageAriaLabel: t('Go to the first page'),
        toPreviousPageAriaLabel: t('Go to the previous page'),
        toNextPageAriaLabel: t('Go to the next page'),
        toLastPageAriaLabel: t('Go to the last page'),
        optionsToggleAriaLabel: t('Nodes per page'),
        currPageAriaLabel: t('Current page'),
        paginationAriaLabel: variant === 'top' ? t('Node table pages, top') : t('Node table pages, bottom'),
      }}
    />
  );
};

/** The status filter's menu: every row, rows with any problem, or one kind of problem. */
const ProblemFilterSelect: FC<{ value: ProblemFilter; onChange: (value: ProblemFilter) => void }> = ({
  value,
  onChange,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const [open, setOpen] = useState(false);
  const labels: Record<ProblemFilter, string> = {
    all: t('All nodes'),
    any: t('Any problem'),
    drift: t('Drift'),
    pending: t('Pending peer pods'),
    orphans: t('Orphan VMs'),
    overcommitted: t('Overcommitted'),
    misconfigured: t('Configuration problems'),
    'other-writer': t('Another writer'),
  };
  // "Drift" is this console's word, not Kubernetes': say what it means where it is picked.
  const descriptions: Partial<Record<ProblemFilter, string>> = {
    drift: t(
      'Nodes whose advertised peer pod VM capacity is not what their limit or override says: not advertised yet, a different number, or advertised although no limit applies.',
    ),
  };
  return (
    <Select
      isOpen={open}
      selected={value}
      onSelect={(_event, selected) => {
        onChange(selected as ProblemFilter);
        setOpen(false);
      }}
      onOpenChange={setOpen}
      toggle={(toggleRef) => (
        <MenuToggle
          ref={toggleRef}
          onClick={() => setOpen((isOpen) => !isOpen)}
          isExpanded={open}
          aria-label={t('Filter nodes by status')}
        >
          {labels[value]}
        </MenuToggle>
      )}
    >
      <SelectList>
        {problemFilters.map((filter) => (
          <SelectOption key={filter} value={filter} description={descriptions[filter]}>
            {labels[filter]}
          </SelectOption>
        ))}
      </SelectList>
    </Select>
  );
};

/** Filter by name and by status, and the pages, above the node table. */
const NodeCapacityToolbar: FC<{ filters: NodeCapacityFilters }> = ({ filters }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Toolbar aria-label={t('Node filters')}>
      <ToolbarContent>
        <ToolbarItem>
          <SearchInput
            aria-label={t('Filter nodes by name')}
            placeholder={t('Filter by node name')}
            value={filters.nameFilter}
            onChange={(_event, value) => filters.setNameFilter(value)}
            onClear={() => filters.setNameFilter('')}
          />
        </ToolbarItem>
        <ToolbarItem>
          <ProblemFilterSelect value={filters.problemFilter} onChange={filters.setProblemFilter} />
        </ToolbarItem>
        <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
          <NodeTablePagination itemCount={filters.rows.length} page={filters.page} variant="top" />
        </ToolbarItem>
      </ToolbarContent>
    </Toolbar>
  );
};

export default NodeCapacityToolbar;
