import type { FC, ReactNode } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  Checkbox,
  Content,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Flex,
  FlexItem,
  Truncate,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, type ThProps, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import { DENSE_TABLE_STYLE } from '../../../components/denseTable';
import { useVmInventoryFilters, type VmSort } from './useVmInventoryFilters';
import type { InventoryVm, VmSortColumn } from './vmInventoryRows';
import VmInstanceTypeCell from './VmInstanceTypeCell';
import VmInventoryToolbar, { VmTablePagination } from './VmInventoryToolbar';
import VmNameCell from './VmNameCell';
import VmOwnershipCell from './VmOwnershipCell';
import VmPodCell from './VmPodCell';
import VmStateLabel from './VmStateLabel';

type VmInventoryTableProps = {
  vms: InventoryVm[];
  /** Show the selection column (only orphans can be selected). */
  selectable: boolean;
  selectedIds: ReadonlySet<string>;
  onSelectionChange: (vmIds: string[], selected: boolean) => void;
  /** Buttons at the end of the toolbar (refresh, clean up). */
  actions?: ReactNode;
};

/** The cloud's peer-pod VMs: sortable, filterable (text, orphans only), paginated, exportable, orphans selectable. */
const VmInventoryTable: FC<VmInventoryTableProps> = ({ vms, selectable, selectedIds, onSelectionChange, actions }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const filters = useVmInventoryFilters(vms);
  const { visible, page } = filters;

  const selectableOnPage = page.pageRows.filter((vm) => vm.orphan);
  const allOnPageSelected = selectableOnPage.length > 0 && selectableOnPage.every((vm) => selectedIds.has(vm.id));

  return (
    <>
      <VmInventoryToolbar filters={filters} actions={actions} />
      {visible.length === 0 ? (
        <NoVmsMatch onClearFilters={filters.clearFilters} />
      ) : (
        <Table aria-label={t('Peer pod virtual machines')} variant="compact" style={DENSE_TABLE_STYLE}>
          <VmInventoryHead
            sort={filters.sort}
            onSort={filters.setSort}
            selection={
              selectable
                ? {
                    allSelected: allOnPageSelected,
                    isDisabled: selectableOnPage.length === 0,
                    onChange: (checked) =>
                      onSelectionChange(
                        selectableOnPage.map((vm) => vm.id),
                        checked,
                      ),
                  }
                : undefined
            }
          />
          <Tbody>
            {page.pageRows.map((vm) => (
              <VmInventoryRow
                key={vm.id}
                vm={vm}
                selectable={selectable}
                selected={selectedIds.has(vm.id)}
                onSelect={(checked) => onSelectionChange([vm.id], checked)}
              />
            ))}
          </Tbody>
        </Table>
      )}
      {visible.length > page.perPage && <VmTablePagination itemCount={visible.length} page={page} variant="bottom" />}
      {selectable && (
        <Content component="small">
          {t('Only orphans can be selected: VMs that no PeerPod and no running pod claims.')}
        </Content>
      )}
    </>
  );
};

type Column = { id: VmSortColumn | 'pod'; title: string; sortable: boolean; width?: ThProps['width'] };

type VmInventoryHeadProps = {
  sort: VmSort;
  onSort: (sort: VmSort) => void;
  /** The selection column's checkbox: selects the orphans on the page. Without it, no selection column. */
  selection?: { allSelected: boolean; isDisabled: boolean; onChange: (selected: boolean) => void };
};

/**
 * Seven columns fit the page from 1280 px on, in every language: the VM's state and ownership
 * share the Status column, its pod and node (and a PeerPod that is not the pod's namesake) the
 * last one. The name and that last column are given the width of a usual podvm-<pod>-<id> name and
 * pod name, so they wrap at hyphens and never within a word, even where the console's resource
 * links would break anywhere; the image, shortened to the column, may take no more.
 */
const VmInventoryHead: FC<VmInventoryHeadProps> = ({ sort, onSort, selection }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const columns: Column[] = [
    { id: 'name', title: t('Name'), sortable: true, width: 20 },
    { id: 'status', title: t('Status'), sortable: true },
    { id: 'instanceType', title: t('Instance type'), sortable: true },
    { id: 'zone', title: t('Zone'), sortable: true },
    { id: 'image', title: t('Image'), sortable: true, width: 15 },
    { id: 'launchedAt', title: t('Launched'), sortable: true },
    { id: 'pod', title: t('Pod and node'), sortable: false, width: 15 },
  ];

  const sortParams = (column: Column, columnIndex: number): ThProps['sort'] =>
    column.sortable
      ? {
          sortBy: {
            index: columns.findIndex((candidate) => candidate.id === sort.column),
            direction: sort.direction,
          },
          onSort: (_event, _index, direction) => onSort({ column: column.id as VmSortColumn, direction }),
          columnIndex,
        }
      : undefined;

  return (
    <Thead>
      <Tr>
        {selection && (
          <Th screenReaderText={t('Selection')}>
            <Checkbox
              id="peer-pods-console-plugin__select-page-orphans"
              aria-label={t('Select the orphans on this page')}
              isChecked={selection.allSelected}
              isDisabled={selection.isDisabled}
              onChange={(_event, checked) => selection.onChange(checked)}
            />
          </Th>
        )}
        {columns.map((column, index) => (
          <Th key={column.id} sort={sortParams(column, index)} modifier="wrap" width={column.width}>
            {column.title}
          </Th>
        ))}
      </Tr>
    </Thead>
  );
};

const VmInventoryRow: FC<{
  vm: InventoryVm;
  /** The table has a selection column; only an orphan's row has a checkbox in it. */
  selectable: boolean;
  selected: boolean;
  onSelect: (selected: boolean) => void;
}> = ({ vm, selectable, selected, onSelect }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Tr isSelectable={selectable && vm.orphan} isRowSelected={selected}>
      {selectable && (
        <Td>
          {vm.orphan ? (
            <Checkbox
              id={`peer-pods-console-plugin__select-${vm.id}`}
              aria-label={t('Select {{name}}', { name: vm.name })}
              isChecked={selected}
              onChange={(_event, checked) => onSelect(checked)}
            />
          ) : null}
        </Td>
      )}
      <Td dataLabel={t('Name')}>
        <VmNameCell vm={vm} />
      </Td>
      <Td dataLabel={t('Status')}>
        <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsXs' }}>
          <FlexItem>
            <VmStateLabel state={vm.state} />
          </FlexItem>
          <FlexItem>
            <VmOwnershipCell vm={vm} />
          </FlexItem>
        </Flex>
      </Td>
      <Td dataLabel={t('Instance type')}>
        <VmInstanceTypeCell vm={vm} />
      </Td>
      <Td dataLabel={t('Zone')}>{vm.zone ?? '—'}</Td>
      <Td dataLabel={t('Image')}>
        {/* The image reference gives way when the column is narrow, whole in its tooltip. */}
        {vm.image ? <Truncate content={vm.image} /> : '—'}
      </Td>
      <Td dataLabel={t('Launched')}>{vm.launchedAt ? <Timestamp timestamp={vm.launchedAt} /> : '—'}</Td>
      <Td dataLabel={t('Pod and node')}>
        <VmPodCell vm={vm} />
      </Td>
    </Tr>
  );
};

const NoVmsMatch: FC<{ onClearFilters: () => void }> = ({ onClearFilters }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <EmptyState titleText={t('No virtual machines match the filters')} headingLevel="h3" icon={SearchIcon} variant="sm">
      <EmptyStateBody>{t('Change the filter text, or show every virtual machine.')}</EmptyStateBody>
      <EmptyStateFooter>
        <EmptyStateActions>
          <Button variant="link" onClick={onClearFilters}>
            {t('Clear all filters')}
          </Button>
        </EmptyStateActions>
      </EmptyStateFooter>
    </EmptyState>
  );
};

export default VmInventoryTable;
