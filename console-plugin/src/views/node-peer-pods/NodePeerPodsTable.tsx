import type { FC } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Content, Label } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../api/backend';
import LoadingState from '../../components/LoadingState';
import { messageOf } from '../../k8s/loadErrors';
import { groupVersionKindOf } from '../../models/groupVersionKind';
import { PEER_POD_VM_RESOURCE } from '../../models/PeerPodConfig';
import { PodKind, PodModel } from '../../models/Pod';

/** Whether the pod requests a peer-pod VM, i.e. the scheduler counts it against the node's limit. */
const requestsVm = (pod: PodKind): boolean =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some(
    (container) =>
      container.resources?.requests?.[PEER_POD_VM_RESOURCE] !== undefined ||
      container.resources?.limits?.[PEER_POD_VM_RESOURCE] !== undefined,
  );

type NodePeerPodsTableProps = {
  pods: PodKind[];
  loaded: boolean;
  loadError: unknown;
  /** The node's VMs from the cloud inventory, to show each pod's VM. */
  vms: NodeCapacity['vms'];
};

/** The peer pods bound to one node, whether each is counted, and its VM. */
const NodePeerPodsTable: FC<NodePeerPodsTableProps> = ({ pods, loaded, loadError, vms }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (loadError) {
    return (
      <Alert variant="danger" isInline title={t('Could not list the pods on this node')}>
        {messageOf(loadError) ?? t('The API server did not return the pods.')}
      </Alert>
    );
  }
  if (!loaded) return <LoadingState label={t('Loading peer pods')} />;
  if (pods.length === 0) return <Content component="p">{t('No peer pod runs on this node.')}</Content>;

  return (
    <Table aria-label={t('Peer pods on this node')} variant="compact">
      <Thead>
        <Tr>
          <Th modifier="wrap">{t('Pod')}</Th>
          <Th modifier="wrap">{t('Namespace')}</Th>
          <Th modifier="wrap">{t('Phase')}</Th>
          <Th modifier="wrap">{t('Counted')}</Th>
          <Th modifier="wrap">{t('VM')}</Th>
          <Th modifier="wrap">{t('Created')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {pods.map((pod) => {
          const name = pod.metadata?.name ?? '';
          const namespace = pod.metadata?.namespace ?? '';
          const vm = vms.find((candidate) => candidate.pod?.name === name && candidate.pod.namespace === namespace);
          return (
            <Tr key={`${namespace}/${name}`}>
              <Td dataLabel={t('Pod')} modifier="nowrap">
                <ResourceLink groupVersionKind={groupVersionKindOf(PodModel)} name={name} namespace={namespace} />
              </Td>
              <Td dataLabel={t('Namespace')}>{namespace}</Td>
              <Td dataLabel={t('Phase')}>{pod.status?.phase ?? '—'}</Td>
              <Td dataLabel={t('Counted')}>
                {requestsVm(pod) ? (
                  t('Yes')
                ) : (
                  <Label status="warning" isCompact>
                    {t('Unaccounted')}
                  </Label>
                )}
              </Td>
              <Td dataLabel={t('VM')}>{vm?.name ?? '—'}</Td>
              <Td dataLabel={t('Created')}>
                {pod.metadata?.creationTimestamp ? <Timestamp timestamp={pod.metadata.creationTimestamp} /> : '—'}
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};

export default NodePeerPodsTable;
