import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  MenuToggle,
  Truncate,
} from '@patternfly/react-core';
import { EllipsisVIcon, SearchIcon } from '@patternfly/react-icons';
import { ActionsColumn, type IAction, Table, Tbody, Td, Th, type ThProps, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../api/backend';
import { DENSE_TABLE_STYLE } from '../../../components/denseTable';
import type { AccessState } from '../../../hooks/useCanEditPeerPodLimit';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import NodeCapacityToolbar, { NodeTablePagination } from './NodeCapacityToolbar';
import NodeStatusLabels from './NodeStatusLabels';
import type { NodeSort, SortColumn } from './nodeCapacityRows';
import { type NodeCapacityFilters, useNodeCapacityFilters } from './useNodeCapacityFilters';
import UtilisationBar from './UtilisationBar';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

type NodeCapacityTableProps = {
  /** Every row of the capacity model; nodes that have nothing to do with peer pods are left out. */
  nodes: NodeCapacity[];
  /** May the user patch nodes (the override annotation)? */
  overrideAccess: AccessState;
  /** Opens the override editor of the node, which also removes an override. */
  onEditOverride: (nodeName: string) => void;
};

/** The peer-pod nodes with their limit, use and problems: filtered by name and problem, sorted, paginated. */
const NodeCapacityTable: FC<NodeCapacityTableProps> = ({ nodes, overrideAccess, onEditOverride }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const filters = useNodeCapacityFilters(nodes);
  const { rows, page } = filters;

  const overrideDisabledReason = overrideAccess.allowed
    ? undefined
    : overrideAccess.loading
      ? t('Checking your permissions…')
      : t('Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.');

  return (
    <>
      <NodeCapacityToolbar filters={filters} />
      <Table aria-label={t('Peer pod VM capacity per node')} variant="compact" style={DENSE_TABLE_STYLE}>
        <NodeCapacityHead sort={filters.sort} onSort={filters.setSort} />
        <Tbody>
          {page.pageRows.map((node, index) => (
            // Rows are keyed by position: a sort, a filter or another page shows other nodes in the
            // same rows, updated in place rather than unmounted and mounted again (20 rows of
            // links, labels, tooltips and a menu each took ~4 ms to mount on a loaded 2-core
            // machine: most of a sort's 70-130 ms at 5,000 nodes). What holds state of its own
            // (the row's menu, a popover) is keyed by node, so it never stays open over another node.
            <NodeCapacityRow
              key={index}
              node={node}
              overrideDisabledReason={overrideDisabledReason}
              onEditOverride={() => onEditOverride(node.name)}
            />
          ))}
        </Tbody>
      </Table>
      {rows.length === 0 && <NoNodesShown filters={filters} />}
      {rows.length > 0 && <NodeTablePagination itemCount={rows.length} page={page} variant="bottom" />}
    </>
  );
};

/** Sortable columns in display order; `null` marks the columns that do not sort. */
const columns: (SortColumn | null)[] = ['name', 'source', 'limit', 'used', 'free', 'utilisation', 'vms', null, null];

/** The column headers; every column but Status and the actions sorts the table. */
const NodeCapacityHead: FC<{ sort: NodeSort; onSort: (sort: NodeSort) => void }> = ({ sort, onSort }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const sortParams = (column: SortColumn): ThProps['sort'] => ({
    columnIndex: columns.indexOf(column),
    sortBy: { index: columns.indexOf(sort.column), direction: sort.direction, defaultDirection: 'asc' },
    onSort: (_event, _index, direction) => onSort({ column, direction }),
  });
  return (
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
        <Th modifier="wrap" sort={sortParams('utilisation')}>
          {t('Utilisation')}
        </Th>
        <Th modifier="wrap" sort={sortParams('vms')}>
          {t('VMs')}
        </Th>
        <Th modifier="wrap">{t('Status')}</Th>
        <Th screenReaderText={t('Actions')} />
      </Tr>
    </Thead>
  );
};

const NodeCapacityRow: FC<{
  node: NodeCapacity;
  overrideDisabledReason: string | undefined;
  onEditOverride: () => void;
}> = ({ node, overrideDisabledReason, onEditOverride }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Tr>
      <Td dataLabel={t('Node')} modifier="nowrap">
        <ResourceLink
          className={RESOURCE_LINK_CLASS}
          groupVersionKind={groupVersionKindOf(NodeModel)}
          name={node.name}
        />
      </Td>
      <Td dataLabel={t('Limit from')}>
        {/* A PeerPodConfig's name gives way to the other columns at narrow widths, whole in its tooltip. */}
        {node.source === 'override' ? (
          t('Override')
        ) : node.source !== 'config' ? (
          t('None')
        ) : node.config ? (
          <Truncate content={node.config.name} />
        ) : (
          '—'
        )}
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
      <Td isActionCell>
        <NodeRowActions
          key={node.name}
          node={node}
          disabledReason={overrideDisabledReason}
          onEditOverride={onEditOverride}
        />
      </Td>
    </Tr>
  );
};

/** No row to show: no node runs peer pods at all, or the filters leave none. */
const NoNodesShown: FC<{ filters: NodeCapacityFilters }> = ({ filters }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const noPeerPodNode = filters.peerPodNodeCount === 0;
  return (
    <EmptyState
      titleText={noPeerPodNode ? t('No node runs peer pods') : t('No nodes match the filters')}
      headingLevel="h3"
      icon={SearchIcon}
      variant="sm"
    >
      <EmptyStateBody>
        {noPeerPodNode
          ? t(
              'No PeerPodConfig selects a node, no node has an override, and no peer pod runs. Label the worker nodes that should run peer pods with the nodeSelector of the PeerPodConfig.',
            )
          : filters.problemFilter === 'orphans'
            ? t(
                'No node has an orphan VM. Orphan VMs that are not tied to any node are listed on the Virtual machines tab.',
              )
            : t('Change or clear the filters to see more nodes.')}
      </EmptyStateBody>
      {!noPeerPodNode && (
        <EmptyStateFooter>
          <EmptyStateActions>
            <Button variant="link" onClick={filters.clearFilters}>
              {t('Clear all filters')}
            </Button>
          </EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
};

/**
 * The row's kebab, as console list pages have it: set an override, or edit or remove the one the
 * node has (the editor confirms a removal). Without the permission to patch nodes the items stay
 * listed, unusable, with the reason.
 */
const NodeRowActions: FC<{ node: NodeCapacity; disabledReason: string | undefined; onEditOverride: () => void }> = ({
  node,
  disabledReason,
  onEditOverride,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const action = (title: string, extra: Partial<IAction> = {}): IAction => ({
    title,
    onClick: onEditOverride,
    ...(disabledReason ? { isAriaDisabled: true, tooltipProps: { content: disabledReason } } : {}),
    ...extra,
  });
  const items: IAction[] =
    node.override === null
      ? [action(t('Set override'))]
      : [action(t('Edit override')), { isSeparator: true }, action(t('Remove override'), { isDanger: true })];
  return (
    <ActionsColumn
      items={items}
      actionsToggle={({ onToggle, isOpen, toggleRef }) => (
        <MenuToggle
          ref={toggleRef}
          variant="plain"
          icon={<EllipsisVIcon />}
          onClick={onToggle}
          isExpanded={isOpen}
          aria-label={t('Actions for {{node}}', { node: node.name })}
        />
      )}
    />
  );
};

export default NodeCapacityTable;
