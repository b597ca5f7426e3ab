import type { FC } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Content, Label, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import { sizeRequestOf } from '@peer-pods-console/contract/sizing';

import type { CapacityRoom, NodeCapacity } from '../../api/backend';
import LoadingState from '../../components/LoadingState';
import { useSizeText } from '../../hooks/useSizeText';
import { isForbiddenError, messageOf } from '../../k8s/loadErrors';
import { groupVersionKindOf } from '../../models/groupVersionKind';
import { PEER_POD_VM_RESOURCE } from '../../models/PeerPodConfig';
import { PodKind, PodModel } from '../../models/Pod';
import { expectedSizeOf, sizeKeysOf, sizeSpecOf } from '../peer-pods/capacity/cloudRoom';
import PodPhase from './PodPhase';
import { RESOURCE_LINK_CLASS } from '../../components/resourceLinkWrap';

/** Whether the pod requests a peer-pod VM, i.e. the scheduler counts it against the node's limit. */
const requestsVm = (pod: PodKind): boolean =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some(
    (container) =>
      container.resources?.requests?.[PEER_POD_VM_RESOURCE] !== undefined ||
      container.resources?.limits?.[PEER_POD_VM_RESOURCE] !== undefined,
  );

type PodVmSizeProps = {
  /** The VM's real instance type, when the inventory has the pod's VM. */
  instanceType: string | undefined;
  annotations: Record<string, string> | undefined;
  room: CapacityRoom | undefined;
};

/**
 * The size of a pod's VM: the real one when the cloud has it, else the one the adaptor will pick
 * from the pod's sizing annotations, or why it will refuse to create the VM.
 */
const PodVmSize: FC<PodVmSizeProps> = ({ instanceType, annotations, room }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const text = useSizeText();
  const detailsOf = (size: string) => {
    const spec = room && sizeSpecOf(room, size);
    return spec && <Content component="small">{text.details(spec)}</Content>;
  };
  if (instanceType) {
    return (
      <>
        <div>{instanceType}</div>
        {detailsOf(instanceType)}
      </>
    );
  }
  const expected = room && expectedSizeOf(room, annotations);
  if (!room || !expected || expected.ok === 'unknown') return <>—</>;
  if (expected.ok) {
    return (
      <>
        <div>{t('{{size}} (expected)', { size: expected.size })}</div>
        {detailsOf(expected.size)}
      </>
    );
  }

  const keys = sizeKeysOf(room.provider);
  const request = sizeRequestOf(annotations);
  const asked =
    request.gpus > 0
      ? t('{{gpus}} GPUs, {{vcpus}} vCPUs and {{memory}}', {
          gpus: text.number(request.gpus),
          vcpus: text.number(request.vcpus),
          memory: text.memory(request.memoryMiB),
        })
      : t('{{vcpus}} vCPUs and {{memory}}', {
          vcpus: text.number(request.vcpus),
          memory: text.memory(request.memoryMiB),
        });
  const values = { size: expected.size, setting: keys.allowed, defaultSize: room.defaultSize ?? '—', asked };
  const why =
    expected.problem === 'no-fit'
      ? room.allowedSizes.length > 0
        ? t(
            'The pod asks for {{asked}}, and no size in {{setting}} has that much; the adaptor refuses to create this VM.',
            values,
          )
        : t(
            'The pod asks for {{asked}}, more than the default size {{defaultSize}} has, and {{setting}} lists no other size; the adaptor refuses to create this VM.',
            values,
          )
      : expected.by !== 'annotation'
        ? t('{{size}} is not in {{setting}}; the adaptor refuses to create this VM.', values)
        : room.allowedSizes.length > 0
          ? t('machine_type {{size}} is not in {{setting}}; the adaptor refuses to create this VM.', values)
          : t(
              'machine_type {{size}} is not the default size {{defaultSize}}, and {{setting}} lists no other size; the adaptor refuses to create this VM.',
              values,
            );
  return (
    <Tooltip content={why}>
      <Label status="warning" isCompact tabIndex={0}>
        {expected.problem === 'no-fit' ? t('No size fits') : t('{{size}} not allowed', values)}
      </Label>
    </Tooltip>
  );
};

type NodePeerPodsTableProps = {
  pods: PodKind[];
  loaded: boolean;
  loadError: unknown;
  /** The node's VMs from the cloud inventory, to show each pod's VM. */
  vms: NodeCapacity['vms'];
  /** The sizes the adaptor picks from (GET /capacity/room), for pods whose VM the inventory does not show yet. */
  room?: CapacityRoom;
};

/** The peer pods bound to one node, whether each is counted, and its VM and the VM's size. */
const NodePeerPodsTable: FC<NodePeerPodsTableProps> = ({ pods, loaded, loadError, vms, room }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (isForbiddenError(loadError)) {
    return (
      <Alert variant="info" isInline title={t('Could not list the pods on this node')}>
        {t(
          'Listing the pods on a node needs the permission to list pods in the whole cluster. Ask a cluster administrator for it.',
        )}
      </Alert>
    );
  }
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
          <Th modifier="wrap">{t('VM size')}</Th>
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
                <ResourceLink
                  className={RESOURCE_LINK_CLASS}
                  groupVersionKind={groupVersionKindOf(PodModel)}
                  name={name}
                  namespace={namespace}
                />
              </Td>
              <Td dataLabel={t('Namespace')}>{namespace}</Td>
              <Td dataLabel={t('Phase')}>
                <PodPhase phase={pod.status?.phase} />
              </Td>
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
              <Td dataLabel={t('VM size')}>
                <PodVmSize instanceType={vm?.instanceType} annotations={pod.metadata?.annotations} room={room} />
              </Td>
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
