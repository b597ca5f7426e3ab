import { type FC, useMemo, useState } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  MenuToggle,
  Pagination,
  SearchInput,
  Select,
  SelectList,
  SelectOption,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  Tooltip,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, type ThProps, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../api/backend';
import type { AccessState } from '../../../hooks/useCanEditPeerPodLimit';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import NodeStatusLabels from './NodeStatusLabels';
import {
  type NodeSort,
  type ProblemFilter,
  type SortColumn,
  isPeerPodNode,
  problemFilters,
  visibleNodes,
} from './nodeCapacityRows';
import UtilisationBar from './UtilisationBar';

export const PER_PAGE_OPTIONS = [10, 20, 50, 100];
const DEFAULT_PER_PAGE = 20;

type NodeCapacityTableProps = {
  /** Every row of the capacity model; nodes that have nothing to do with peer pods are left out. */
  nodes: NodeCapacity[];
  /** May the user patch nodes (the override annotation)? */
  overrideAccess: AccessState;
  onEditOverride: (nodeName: string) => void;
};

/** Sortable columns in display order; `null` marks the columns that do not sort. */
const columns: (SortColumn | null)[] = ['name', 'source', 'limit', 'used', 'free', 'utilisation', 'vms', null, null];

/** The peer-pod nodes with their limit, use and problems: filtered by name and problem, sorted, paginated. */
const NodeCapacityTable: FC<NodeCapacityTableProps> = ({ nodes, overrideAccess, onEditOverride }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const [nameFilter, setNameFilter] = useState('');
  const [problemFilter, setProblemFilter] = useState<ProblemFilter>('all');
  const [filterOpen, setFilterOpen] = useState(false);
  const [sort, setSort] = useState<NodeSort>({ column: 'name', direction: 'asc' });
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(DEFAULT_PER_PAGE);

  const peerPodNodeCount = useMemo(() => nodes.filter(isPeerPodNode).length, [nodes]);
  const rows = useMemo(
    () => visibleNodes(nodes, { nameFilter, problemFilter, sort }),
    [nodes, nameFilter, problemFilter, sort],
  );
  // Stay on a page that exists when rows go away (a filter, a node removed live).
  const lastPage = Math.max(1, Math.ceil(rows.length / perPage));
  const currentPage = Math.min(page, lastPage);
  const pageRows = rows.slice((currentPage - 1) * perPage, currentPage * perPage);

  const filterLabels: Record<ProblemFilter, string> = {
    all: t('All nodes'),
    any: t('Any problem'),
    drift: t('Drift'),
    pending: t('Pending peer pods'),
    orphans: t('Orphan VMs'),
    overcommitted: t('Overcommitted'),
    misconfigured: t('Configuration problems'),
    'other-writer': t('Another writer'),
  };

  const sortParams = (column: SortColumn): ThProps['sort'] => {
    const index = columns.indexOf(column);
    return {
      columnIndex: index,
      sortBy: { index: columns.indexOf(sort.column), direction: sort.direction, defaultDirection: 'asc' },
      onSort: (_event, _index, direction) => {
        setSort({ column, direction });
        setPage(1);
      },
    };
  };

  const clearFilters = () => {
    setNameFilter('');
    setProblemFilter('all');
    setPage(1);
  };

  const pagination = (variant: 'top' | 'bottom') => (
    <Pagination
      itemCount={rows.length}
      perPage={perPage}
      page={currentPage}
      perPageOptions={PER_PAGE_OPTIONS.map((value) => ({ title: String(value), value }))}
      onSetPage={(_event, value) => setPage(value)}
      onPerPageSelect={(_event, value) => {
        setPerPage(value);
        setPage(1);
      }}
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

  const overrideDisabledReason = overrideAccess.allowed
    ? undefined
    : overrideAccess.loading
      ? t('Checking your permissions…')
      : t('Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.');

  return (
    <>
      <Toolbar aria-label={t('Node filters')}>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput
              aria-label={t('Filter nodes by name')}
              placeholder={t('Filter by node name')}
              value={nameFilter}
              onChange={(_event, value) => {
                setNameFilter(value);
                setPage(1);
              }}
              onClear={() => {
                setNameFilter('');
                setPage(1);
              }}
            />
          </ToolbarItem>
          <ToolbarItem>
            <Select
              isOpen={filterOpen}
              selected={problemFilter}
              onSelect={(_event, value) => {
                setProblemFilter(value as ProblemFilter);
                setPage(1);
                setFilterOpen(false);
              }}
              onOpenChange={setFilterOpen}
              toggle={(toggleRef) => (
                <MenuToggle
                  ref={toggleRef}
                  onClick={() => setFilterOpen((open) => !open)}
                  isExpanded={filterOpen}
                  aria-label={t('Filter nodes by status')}
                >
                  {filterLabels[problemFilter]}
                </MenuToggle>
              )}
            >
              <SelectList>
                {problemFilters.map((filter) => (
                  <SelectOption key={filter} value={filter}>
                    {filterLabels[filter]}
                  </SelectOption>
                ))}
              </SelectList>
            </Select>
          </ToolbarItem>
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            {pagination('top')}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <Table aria-label={t('Peer pod VM capacity per node')} variant="compact">
        <Thead>
          <Tr>
            <Th modifier="wrap" sort={sortParams('name')}>
              {t('Node')}
            </Th>
            <Th modifier="wrap" sort={sortParams('source')}>
              {t('Limit from')}
            </Th>
            <Th modifier="wrap" sort={sortParams('limit')}>
              {t('Limit')}
            </Th>
            <Th modifier="nowrap" sort={sortParams('used')}>
              {t('In use')}
            </Th>
            <Th modifier="wrap" sort={sortParams('free')}>
              {t('Free')}
            </Th>
            <Th modifier="wrap" sort={sortParams('utilisation')} width={15}>
              {t('Utilisation')}
            </Th>
            <Th modifier="wrap" sort={sortParams('vms')}>
              {t('VMs')}
            </Th>
            <Th modifier="wrap">{t('Status')}</Th>
            <Th screenReaderText={t('Actions')} />
          </Tr>
        </Thead>
        <Tbody>
          {pageRows.map((node) => (
            <Tr key={node.name}>
              <Td dataLabel={t('Node')} modifier="nowrap">
                <ResourceLink groupVersionKind={groupVersionKindOf(NodeModel)} name={node.name} />
              </Td>
              <Td dataLabel={t('Limit from')} modifier="nowrap">
                {node.source === 'override'
                  ? t('Override')
                  : node.source === 'config'
                    ? (node.config?.name ?? '—')
                    : t('None')}
              </Td>
              <Td dataLabel={t('Limit')}>
                {node.advertised ?? '—'}
                {node.desired !== null && node.desired !== node.advertised && (
                  <> {t('(should be {{desired}})', { desired: node.desired })}</>
                )}
              </Td>
              <Td dataLabel={t('In use')}>{node.used}</Td>
              <Td dataLabel={t('Free')}>{node.free}</Td>
              <Td dataLabel={t('Utilisation')} modifier="nowrap">
                <UtilisationBar node={node} />
              </Td>
              <Td dataLabel={t('VMs')}>{node.vms.length}</Td>
              <Td dataLabel={t('Status')}>
                <NodeStatusLabels node={node} />
              </Td>
              <Td isActionCell modifier="nowrap">
                <OverrideButton
                  node={node}
                  disabledReason={overrideDisabledReason}
                  onClick={() => onEditOverride(node.name)}
                />
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {rows.length === 0 && (
        <EmptyState
          titleText={peerPodNodeCount === 0 ? t('No node runs peer pods') : t('No nodes match the filters')}
          headingLevel="h3"
          icon={SearchIcon}
          variant="sm"
        >
          <EmptyStateBody>
            {peerPodNodeCount === 0
              ? t(
                  'No PeerPodConfig selects a node, no node has an override, and no peer pod runs. Label the worker nodes that should run peer pods with the nodeSelector of the PeerPodConfig.',
                )
              : problemFilter === 'orphans'
                ? t(
                    'No node has an orphan VM. Orphan VMs that are not tied to any node are listed on the Virtual machines tab.',
                  )
                : t('Change or clear the filters to see more nodes.')}
          </EmptyStateBody>
          {peerPodNodeCount > 0 && (
            <EmptyStateFooter>
              <EmptyStateActions>
                <Button variant="link" onClick={clearFilters}>
                  {t('Clear all filters')}
                </Button>
              </EmptyStateActions>
            </EmptyStateFooter>
          )}
        </EmptyState>
      )}
      {rows.length > 0 && pagination('bottom')}
    </>
  );
};

const OverrideButton: FC<{ node: NodeCapacity; disabledReason: string | undefined; onClick: () => void }> = ({
  node,
  disabledReason,
  onClick,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const button = (
    <Button
      variant="link"
      isInline
      isAriaDisabled={disabledReason !== undefined}
      onClick={onClick}
      aria-label={
        node.override !== null
          ? t('Edit override on {{node}}', { node: node.name })
          : t('Set override on {{node}}', { node: node.name })
      }
    >
      {node.override !== null ? t('Edit override') : t('Set override')}
    </Button>
  );
  return disabledReason ? <Tooltip content={disabledReason}>{button}</Tooltip> : button;
};

export default NodeCapacityTable;
