import type { CSSProperties, FC, ReactNode } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  Checkbox,
  Content,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Stack,
  StackItem,
  Truncate,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import { InnerScrollContainer, Table, Tbody, Td, Th, type ThProps, Thead, Tr } from '@patternfly/react-table';
import t_global_background_color_primary_default from '@patternfly/react-tokens/dist/esm/t_global_background_color_primary_default';
import { useTranslation } from 'react-i18next';

import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import { PeerPodModel } from '../../../models/PeerPod';
import { useVmInventoryFilters, type VmSort } from './useVmInventoryFilters';
import type { InventoryVm, VmSortColumn } from './vmInventoryRows';
import VmInstanceTypeCell from './VmInstanceTypeCell';
import VmInventoryToolbar, { VmTablePagination } from './VmInventoryToolbar';
import VmOwnershipCell from './VmOwnershipCell';
import VmStateLabel from './VmStateLabel';

const POD_GROUP_VERSION_KIND = { version: 'v1', kind: 'Pod' };

/**
 * An AMI id fits whole; a longer Azure image reference shows its end (image, version), with the
 * whole reference in a tooltip that the keyboard reaches too.
 */
const IMAGE_CHARS_SHOWN = 28;

// The table is wider than the page below ~1600px: the selection and the VM's name stay in view
// while it scrolls sideways. The name column is wide enough for a usual podvm-<pod>-<id> name.
const SELECTION_COLUMN_WIDTH = '3.5rem';
const NAME_COLUMN_WIDTH = '15rem';
// The bundled @patternfly/react-styles 6.6 colours sticky cells with a token that neither console
// 4.20/4.22 nor the shell defines, so they would be see-through; the table's own token is defined everywhere.
const stickyBackground = {
  '--pf-v6-c-table__sticky-cell--BackgroundColor': t_global_background_color_primary_default.var,
} as CSSProperties;
const stickySelection = {
  isStickyColumn: true,
  stickyMinWidth: SELECTION_COLUMN_WIDTH,
  style: stickyBackground,
};
const stickyName = (selectable: boolean) => ({
  isStickyColumn: true,
  hasRightBorder: true,
  stickyMinWidth: NAME_COLUMN_WIDTH,
  stickyLeftOffset: selectable ? SELECTION_COLUMN_WIDTH : undefined,
  style: stickyBackground,
});

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
        <InnerScrollContainer>
          <Table aria-label={t('Peer pod virtual machines')} variant="compact">
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
        </InnerScrollContainer>
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

type Column = { id: VmSortColumn | 'pod' | 'peerPod'; title: string; sortable: boolean };

type VmInventoryHeadProps = {
  sort: VmSort;
  onSort: (sort: VmSort) => void;
  /** The selection column's checkbox: selects the orphans on the page. Without it, no selection column. */
  selection?: { allSelected: boolean; isDisabled: boolean; onChange: (selected: boolean) => void };
};

const VmInventoryHead: FC<VmInventoryHeadProps> = ({ sort, onSort, selection }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const columns: Column[] = [
    { id: 'name', title: t('Name'), sortable: true },
    { id: 'state', title: t('State'), sortable: true },
    { id: 'instanceType', title: t('Instance type'), sortable: true },
    { id: 'zone', title: t('Zone'), sortable: true },
    { id: 'image', title: t('Image'), sortable: true },
    { id: 'launchedAt', title: t('Launched'), sortable: true },
    { id: 'pod', title: t('Pod'), sortable: false },
    { id: 'node', title: t('Node'), sortable: true },
    { id: 'peerPod', title: t('PeerPod'), sortable: false },
    { id: 'status', title: t('Ownership'), sortable: true },
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
          <Th screenReaderText={t('Selection')} {...stickySelection}>
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
          <Th
            key={column.id}
            sort={sortParams(column, index)}
            modifier="wrap"
            {...(column.id === 'name' ? stickyName(selection !== undefined) : {})}
          >
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
        <Td {...stickySelection}>
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
      <Td dataLabel={t('Name')} modifier="breakWord" {...stickyName(selectable)}>
        <Stack>
          <StackItem>{vm.name}</StackItem>
          <StackItem>
            <Content component="small">{vm.id}</Content>
          </StackItem>
        </Stack>
      </Td>
      <Td dataLabel={t('State')}>
        <VmStateLabel state={vm.state} />
      </Td>
      <Td dataLabel={t('Instance type')} modifier="nowrap">
        <VmInstanceTypeCell vm={vm} />
      </Td>
      <Td dataLabel={t('Zone')} modifier="nowrap">
        {vm.zone ?? '—'}
      </Td>
      <Td dataLabel={t('Image')} modifier="nowrap">
        {vm.image ? <Truncate content={vm.image} maxCharsDisplayed={IMAGE_CHARS_SHOWN} position="start" /> : '—'}
      </Td>
      <Td dataLabel={t('Launched')}>{vm.launchedAt ? <Timestamp timestamp={vm.launchedAt} /> : '—'}</Td>
      {/* Resource names stay whole: the console's ResourceLink may break them anywhere, so a
          narrow column wrapped them one character per line in the real console. */}
      <Td dataLabel={t('Pod')} modifier="nowrap">
        {vm.pod ? (
          <ResourceLink groupVersionKind={POD_GROUP_VERSION_KIND} name={vm.pod.name} namespace={vm.pod.namespace} />
        ) : (
          '—'
        )}
      </Td>
      <Td dataLabel={t('Node')} modifier="nowrap">
        {vm.nodeName ? <ResourceLink groupVersionKind={groupVersionKindOf(NodeModel)} name={vm.nodeName} /> : '—'}
      </Td>
      <Td dataLabel={t('PeerPod')} modifier="nowrap">
        {vm.peerPod ? (
          <ResourceLink
            groupVersionKind={groupVersionKindOf(PeerPodModel)}
            name={vm.peerPod.name}
            namespace={vm.peerPod.namespace}
          />
        ) : (
          '—'
        )}
      </Td>
      <Td dataLabel={t('Ownership')}>
        <VmOwnershipCell vm={vm} />
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
