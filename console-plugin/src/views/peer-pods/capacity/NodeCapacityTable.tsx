import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Content, EmptyState, EmptyStateBody, Label, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import LoadingState from '../../../components/LoadingState';
import { messageOf } from '../../../k8s/loadErrors';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeKind, NodeModel } from '../../../models/Node';
import { PEER_POD_VM_RESOURCE } from '../../../models/PeerPodConfig';
import { NodeVmCapacityStatus, nodeVmCapacities } from './nodeVmCapacity';

type NodeCapacityTableProps = {
  nodes: NodeKind[];
  loaded: boolean;
  loadError: unknown;
  /** PeerPodConfig `spec.limit`; undefined when the config sets none. */
  limit: string | undefined;
  nodeSelector: Record<string, string>;
};

const NodeStatusLabel: FC<{ status: NodeVmCapacityStatus }> = ({ status }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  switch (status) {
    case 'advertised':
      return <Label status="success">{t('Advertised')}</Label>;
    case 'not-advertised':
      return <Label status="warning">{t('Not advertised')}</Label>;
    case 'differs-from-limit':
      return <Label status="warning">{t('Differs from limit')}</Label>;
  }
};

const formatSelector = (nodeSelector: Record<string, string>): string =>
  Object.entries(nodeSelector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');

/** The nodes a PeerPodConfig selects and the peer-pod VM capacity each advertises to the scheduler. */
const NodeCapacityTable: FC<NodeCapacityTableProps> = (props) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h2" size="lg">
          {t('Nodes')}
        </Title>
      </StackItem>
      <NodeCapacityTableBody {...props} />
    </Stack>
  );
};

const NodeCapacityTableBody: FC<NodeCapacityTableProps> = ({ nodes, loaded, loadError, limit, nodeSelector }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');

  if (loadError) {
    return (
      <StackItem>
        <Alert variant="danger" isInline title={t('Could not load the nodes')}>
          {messageOf(loadError) ?? t('The API server did not return the node list. Reload the page to try again.')}
        </Alert>
      </StackItem>
    );
  }
  if (!loaded) {
    return (
      <StackItem>
        <LoadingState label={t('Loading nodes')} />
      </StackItem>
    );
  }
  if (nodes.length === 0) {
    return (
      <StackItem>
        <EmptyState titleText={t('No nodes match the node selector')} headingLevel="h3" variant="sm">
          <EmptyStateBody>
            {t(
              'Peer pods run only on nodes with the labels {{selector}}. Label the worker nodes that should run peer pods, or change the nodeSelector of the PeerPodConfig.',
              { selector: formatSelector(nodeSelector) },
            )}
          </EmptyStateBody>
        </EmptyState>
      </StackItem>
    );
  }

  const rows = nodeVmCapacities(nodes, limit);
  return (
    <>
      <StackItem>
        <Content component="p">
          {t(
            'Capacity and allocatable are the values of {{resource}} in the node status: how many peer pod VMs the scheduler may place on the node.',
            { resource: PEER_POD_VM_RESOURCE },
          )}
        </Content>
      </StackItem>
      <StackItem>
        <Table aria-label={t('Peer pod VM capacity per node')} variant="compact">
          <Thead>
            <Tr>
              <Th>{t('Node')}</Th>
              <Th>{t('Status')}</Th>
              <Th>{t('VM capacity')}</Th>
              <Th>{t('VM allocatable')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((row) => (
              <Tr key={row.name}>
                <Td dataLabel={t('Node')}>
                  <ResourceLink groupVersionKind={groupVersionKindOf(NodeModel)} name={row.name} />
                </Td>
                <Td dataLabel={t('Status')}>
                  <NodeStatusLabel status={row.status} />
                </Td>
                <Td dataLabel={t('VM capacity')}>{row.capacity ?? '—'}</Td>
                <Td dataLabel={t('VM allocatable')}>{row.allocatable ?? '—'}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </StackItem>
    </>
  );
};

export default NodeCapacityTable;
