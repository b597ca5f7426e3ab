import type { FC, ReactNode } from 'react';
import {
  Button,
  Pagination,
  SearchInput,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { DownloadIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';

import { PER_PAGE_OPTIONS, paginationTitles } from '../../../components/paginationTitles';
import type { TablePage } from '../../../hooks/useTablePage';
import type { VmInventoryFilters } from './useVmInventoryFilters';
import { saveTextFile } from './saveTextFile';
import { vmInventoryCsv, vmInventoryCsvFileName } from './vmInventoryCsv';
import type { InventoryVm } from './vmInventoryRows';

/** The VM table's pages, above it (compact, in the toolbar) or below it. */
export const VmTablePagination: FC<{ itemCount: number; page: TablePage<InventoryVm>; variant: 'top' | 'bottom' }> = ({
  itemCount,
  page,
  variant,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const titles = paginationTitles(t, t('Virtual machine pages'));
  return (
    <Pagination
      itemCount={itemCount}
      page={page.page}
      perPage={page.perPage}
      perPageOptions={PER_PAGE_OPTIONS}
      onSetPage={(_event, next) => page.setPage(next)}
      onPerPageSelect={(_event, next) => page.setPerPage(next)}
      isCompact={variant === 'top'}
      variant={variant}
      titles={titles}
    />
  );
};

type VmInventoryToolbarProps = {
  filters: VmInventoryFilters;
  /** Buttons after the filters (refresh, clean up). */
  actions?: ReactNode;
};

/** Filter by text and to orphans only, the CSV export, the page's actions, and the pages, above the VM table. */
const VmInventoryToolbar: FC<VmInventoryToolbarProps> = ({ filters, actions }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { updateFilters } = filters;
  return (
    <Toolbar clearAllFilters={filters.clearFilters}>
      <ToolbarContent>
        <ToolbarItem>
          {/* A short placeholder fits the input in every language; the filter also matches the
              instance type, zone, image and PeerPod. */}
          <SearchInput
            aria-label={t('Filter virtual machines')}
            placeholder={t('Name, ID, pod or node')}
            value={filters.filters.text}
            onChange={(_event, text) => updateFilters({ text })}
            onClear={() => updateFilters({ text: '' })}
            resetButtonLabel={t('Clear the filter')}
          />
        </ToolbarItem>
        <ToolbarItem alignSelf="center">
          <Switch
            id="peer-pods-console-plugin__orphans-only"
            label={t('Orphans only ({{number}})', { number: filters.orphanCount })}
            aria-label={t('Orphans only')}
            isChecked={filters.filters.orphansOnly}
            onChange={(_event, orphansOnly) => updateFilters({ orphansOnly })}
          />
        </ToolbarItem>
        <ToolbarItem>
          {/* Every VM the filters leave, on all pages, in the order shown. */}
          <Button
            variant="secondary"
            icon={<DownloadIcon />}
            isDisabled={filters.visible.length === 0}
            onClick={() =>
              saveTextFile(
                vmInventoryCsvFileName(new Date()),
                vmInventoryCsv(filters.visible),
                'text/csv;charset=utf-8',
              )
            }
          >
            {t('Export CSV')}
          </Button>
        </ToolbarItem>
        {actions && <ToolbarGroup>{actions}</ToolbarGroup>}
        <ToolbarItem variant="pagination">
          <VmTablePagination itemCount={filters.visible.length} page={filters.page} variant="top" />
        </ToolbarItem>
      </ToolbarContent>
    </Toolbar>
  );
};

export default VmInventoryToolbar;
