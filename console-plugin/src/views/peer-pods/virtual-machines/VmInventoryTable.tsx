import { type FC, type ReactNode, useMemo, useState } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  Checkbox,
  Content,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Pagination,
  type PaginationTitles,
  SearchInput,
  Stack,
  StackItem,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import { InnerScrollContainer, Table, Tbody, Td, Th, type ThProps, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import { PeerPodModel } from '../../../models/PeerPod';
import {
  filterVms,
  type InventoryVm,
  type SortDirection,
  sortVms,
  type VmFilters,
  type VmSortColumn,
} from './vmInventoryRows';
import VmOwnershipCell from './VmOwnershipCell';
import VmStateLabel from './VmStateLabel';

const POD_GROUP_VERSION_KIND = { version: 'v1', kind: 'Pod' };

const PER_PAGE_OPTIONS = [10, 20, 50, 100].map((value) => ({ title: String(value), value }));

type VmInventoryTableProps = {
  vms: InventoryVm[];
  /** Show the selection column (only orphans can be selected). */
  selectable: boolean;
  selectedIds: ReadonlySet<string>;
  onSelectionChange: (vmIds: string[], selected: boolean) => void;
  /** Buttons at the end of the toolbar (refresh, clean up). */
  actions?: ReactNode;
};

type Column = { id: VmSortColumn | 'pod' | 'peerPod'; title: string; sortable: boolean };

/** The cloud's peer-pod VMs: sortable, filterable (text, orphans only), paginated, orphans selectable. */
const VmInventoryTable: FC<VmInventoryTableProps> = ({ vms, selectable, selectedIds, onSelectionChange, actions }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const [filters, setFilters] = useState<VmFilters>({ text: '', orphansOnly: false });
  const [sortBy, setSortBy] = useState<{ column: VmSortColumn; direction: SortDirection }>({
    column: 'status',
    direction: 'asc',
  });
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);

  const columns: Column[] = [
    { id: 'name', title: t('Name'), sortable: true },
    { id: 'state', title: t('State'), sortable: true },
    { id: 'instanceType', title: t('Instance type'), sortable: true },
    { id: 'launchedAt', title: t('Launched'), sortable: true },
    { id: 'pod', title: t('Pod'), sortable: false },
    { id: 'node', title: t('Node'), sortable: true },
    { id: 'peerPod', title: t('PeerPod'), sortable: false },
    { id: 'status', title: t('Ownership'), sortable: true },
  ];

  const visible = useMemo(
    () => sortVms(filterVms(vms, filters), sortBy.column, sortBy.direction),
    [vms, filters, sortBy],
  );
  const orphanCount = useMemo(() => vms.filter((vm) => vm.orphan).length, [vms]);
  // A page past the end (after filtering or a refresh) falls back to the last page there is.
  const lastPage = Math.max(1, Math.ceil(visible.length / perPage));
  const currentPage = Math.min(page, lastPage);
  const pageRows = visible.slice((currentPage - 1) * perPage, currentPage * perPage);
  const selectableOnPage = pageRows.filter((vm) => vm.orphan);
  const allOnPageSelected = selectableOnPage.length > 0 && selectableOnPage.every((vm) => selectedIds.has(vm.id));

  const updateFilters = (change: Partial<VmFilters>) => {
    setFilters((current) => ({ ...current, ...change }));
    setPage(1);
  };

  const sortParams = (column: Column, columnIndex: number): ThProps['sort'] =>
    column.sortable
      ? {
          sortBy: {
            index: columns.findIndex((candidate) => candidate.id === sortBy.column),
            direction: sortBy.direction,
          },
          onSort: (_event, _index, direction) => setSortBy({ column: column.id as VmSortColumn, direction }),
          columnIndex,
        }
      : undefined;

  const paginationTitles: PaginationTitles = {
    paginationAriaLabel: t('Virtual machine pages'),
    itemsPerPage: t('Items per page'),
    perPageSuffix: t('per page'),
    optionsToggleAriaLabel: t('Items per page'),
    ofWord: t('of'),
    currPageAriaLabel: t('Current page'),
    toFirstPageAriaLabel: t('Go to first page'),
    toPreviousPageAriaLabel: t('Go to previous page'),
    toNextPageAriaLabel: t('Go to next page'),
    toLastPageAriaLabel: t('Go to last page'),
  };
  const pagination = (variant: 'top' | 'bottom') => (
    <Pagination
      itemCount={visible.length}
      page={currentPage}
      perPage={perPage}
      perPageOptions={PER_PAGE_OPTIONS}
      onSetPage={(_event, next) => setPage(next)}
      onPerPageSelect={(_event, next) => {
        setPerPage(next);
        setPage(1);
      }}
      isCompact={variant === 'top'}
      variant={variant}
      titles={paginationTitles}
    />
  );

  const clearFilters = () => updateFilters({ text: '', orphansOnly: false });

  return (
    <>
      <Toolbar clearAllFilters={clearFilters}>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput
              aria-label={t('Filter virtual machines')}
              placeholder={t('Filter by name, ID, pod or node')}
              value={filters.text}
              onChange={(_event, text) => updateFilters({ text })}
              onClear={() => updateFilters({ text: '' })}
              resetButtonLabel={t('Clear the filter')}
            />
          </ToolbarItem>
          <ToolbarItem alignSelf="center">
            <Switch
              id="peer-pods-console-plugin__orphans-only"
              label={t('Orphans only ({{number}})', { number: orphanCount })}
              aria-label={t('Orphans only')}
              isChecked={filters.orphansOnly}
              onChange={(_event, orphansOnly) => updateFilters({ orphansOnly })}
            />
          </ToolbarItem>
          {actions && <ToolbarGroup>{actions}</ToolbarGroup>}
          <ToolbarItem variant="pagination">{pagination('top')}</ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {visible.length === 0 ? (
        <EmptyState
          titleText={t('No virtual machines match the filters')}
          headingLevel="h3"
          icon={SearchIcon}
          variant="sm"
        >
          <EmptyStateBody>{t('Change the filter text, or show every virtual machine.')}</EmptyStateBody>
          <EmptyStateFooter>
            <EmptyStateActions>
              <Button variant="link" onClick={clearFilters}>
                {t('Clear all filters')}
              </Button>
            </EmptyStateActions>
          </EmptyStateFooter>
        </EmptyState>
      ) : (
        <InnerScrollContainer>
          <Table aria-label={t('Peer pod virtual machines')} variant="compact">
            <Thead>
              <Tr>
                {selectable && (
                  <Th screenReaderText={t('Selection')}>
                    <Checkbox
                      id="peer-pods-console-plugin__select-page-orphans"
                      aria-label={t('Select the orphans on this page')}
                      isChecked={allOnPageSelected}
                      isDisabled={selectableOnPage.length === 0}
                      onChange={(_event, checked) =>
                        onSelectionChange(
                          selectableOnPage.map((vm) => vm.id),
                          checked,
                        )
                      }
                    />
                  </Th>
                )}
                {columns.map((column, index) => (
                  <Th key={column.id} sort={sortParams(column, index)} modifier="wrap">
                    {column.title}
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {pageRows.map((vm) => (
                <Tr key={vm.id} isSelectable={selectable && vm.orphan} isRowSelected={selectedIds.has(vm.id)}>
                  {selectable && (
                    <Td>
                      {vm.orphan ? (
                        <Checkbox
                          id={`peer-pods-console-plugin__select-${vm.id}`}
                          aria-label={t('Select {{name}}', { name: vm.name })}
                          isChecked={selectedIds.has(vm.id)}
                          onChange={(_event, checked) => onSelectionChange([vm.id], checked)}
                        />
                      ) : null}
                    </Td>
                  )}
                  <Td dataLabel={t('Name')} modifier="breakWord">
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
                  <Td dataLabel={t('Instance type')}>{vm.instanceType ?? '—'}</Td>
                  <Td dataLabel={t('Launched')}>{vm.launchedAt ? <Timestamp timestamp={vm.launchedAt} /> : '—'}</Td>
                  {/* Resource names stay whole: the console's ResourceLink may break them anywhere, so a
                      narrow column wrapped them one character per line in the real console. */}
                  <Td dataLabel={t('Pod')} modifier="nowrap">
                    {vm.pod ? (
                      <ResourceLink
                        groupVersionKind={POD_GROUP_VERSION_KIND}
                        name={vm.pod.name}
                        namespace={vm.pod.namespace}
                      />
                    ) : (
                      '—'
                    )}
                  </Td>
                  <Td dataLabel={t('Node')} modifier="nowrap">
                    {vm.nodeName ? (
                      <ResourceLink groupVersionKind={groupVersionKindOf(NodeModel)} name={vm.nodeName} />
                    ) : (
                      '—'
                    )}
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
              ))}
            </Tbody>
          </Table>
        </InnerScrollContainer>
      )}
      {visible.length > perPage && pagination('bottom')}
      {selectable && (
        <Content component="small">
          {t('Only orphans can be selected: VMs that no PeerPod and no running pod claims.')}
        </Content>
      )}
    </>
  );
};

export default VmInventoryTable;
