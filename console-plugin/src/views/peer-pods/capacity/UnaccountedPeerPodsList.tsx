import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PodNames, UnaccountedPeerPod } from '../../../api/backend';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import PeerPodList, { type PeerPodColumn } from './PeerPodList';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

type UnaccountedPeerPodsListProps = {
  unaccounted: UnaccountedPeerPod[];
  extendedResource: string;
  /** hidden: the backend left out each pod's namespace and name (the user may not list pods). */
  podNames: PodNames;
  /** On a node's own page the node column says nothing new. */
  showNode?: boolean;
  headingLevel?: 'h2' | 'h3';
};

/**
 * Peer pods that carry no VM request, so no node's limit counts them: why, and how to bring them
 * back into the accounting.
 */
const UnaccountedPeerPodsList: FC<UnaccountedPeerPodsListProps> = ({
  unaccounted,
  extendedResource,
  podNames,
  showNode = true,
  headingLevel = 'h2',
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const nodeColumn: PeerPodColumn<UnaccountedPeerPod> = {
    title: t('Node'),
    cell: (pod) =>
      pod.nodeName ? (
        <ResourceLink
          className={RESOURCE_LINK_CLASS}
          groupVersionKind={groupVersionKindOf(NodeModel)}
          name={pod.nodeName}
        />
      ) : (
        t('Not scheduled')
      ),
  };
  return (
    <PeerPodList
      title={t('Unaccounted peer pods')}
      headingLevel={headingLevel}
      pods={unaccounted}
      podNames={podNames}
      emptyText={t('Every peer pod requests {{resource}}: the scheduler counts all of them.', {
        resource: extendedResource,
      })}
      intro={
        <Alert variant="warning" isInline title={t('These peer pods escape the VM limit')}>
          <Stack hasGutter>
            <StackItem>
              {t(
                'They run a VM each, but carry no {{resource}} request, so no node counts them: nodes can end up running more VMs than their limit.',
                { resource: extendedResource },
              )}
            </StackItem>
            <StackItem>
              {t(
                'What to do: delete and re-create each of them in a namespace the webhook mutates (not a system namespace such as openshift-* or kube-system), while the webhook runs. A pod that must stay in an excluded namespace needs {{resource}}: 1 in the requests and limits of its first container.',
                { resource: extendedResource },
              )}
            </StackItem>
          </Stack>
        </Alert>
      }
      tableLabel={t('Unaccounted peer pods')}
      columns={[
        ...(showNode ? [nodeColumn] : []),
        { title: t('Phase'), cell: (pod) => pod.phase },
        {
          title: t('Reason'),
          // The backend's reason for its one known case (capacity/model.ts), in the user's language.
          cell: (pod) =>
            pod.reason.startsWith(`no ${extendedResource} request`)
              ? t(
                  'No {{resource}} request: created in a namespace the webhook excludes, or while the webhook was not running.',
                  { resource: extendedResource },
                )
              : pod.reason,
        },
      ]}
    />
  );
};

export default UnaccountedPeerPodsList;
