import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Content, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { PodNames, UnaccountedPeerPod } from '../../../api/backend';
import PodLink from '../../../components/PodLink';
import PodNamesHiddenAlert from '../../../components/PodNamesHiddenAlert';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';

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
  const namesShown = podNames === 'shown';
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel={headingLevel} size="lg">
          {t('Unaccounted peer pods')}
        </Title>
      </StackItem>
      {unaccounted.length === 0 ? (
        <StackItem>
          <Content component="p">
            {t('Every peer pod requests {{resource}}: the scheduler counts all of them.', {
              resource: extendedResource,
            })}
          </Content>
        </StackItem>
      ) : (
        <>
          <StackItem>
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
          </StackItem>
          {!namesShown && (
            <StackItem>
              <PodNamesHiddenAlert />
            </StackItem>
          )}
          <StackItem>
            <Table aria-label={t('Unaccounted peer pods')} variant="compact">
              <Thead>
                <Tr>
                  {namesShown && <Th modifier="wrap">{t('Pod')}</Th>}
                  {namesShown && <Th modifier="wrap">{t('Namespace')}</Th>}
                  {showNode && <Th modifier="wrap">{t('Node')}</Th>}
                  <Th modifier="wrap">{t('Phase')}</Th>
                  <Th modifier="wrap">{t('Reason')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {unaccounted.map((pod, index) => (
                  // Without names the rows have no identity of their own: their place is theirs.
                  <Tr key={namesShown ? `${pod.namespace}/${pod.name}` : index}>
                    {namesShown && (
                      <Td dataLabel={t('Pod')} modifier="nowrap">
                        <PodLink pod={pod} />
                      </Td>
                    )}
                    {namesShown && <Td dataLabel={t('Namespace')}>{pod.namespace}</Td>}
                    {showNode && (
                      <Td dataLabel={t('Node')}>
                        {pod.nodeName ? (
                          <ResourceLink groupVersionKind={groupVersionKindOf(NodeModel)} name={pod.nodeName} />
                        ) : (
                          t('Not scheduled')
                        )}
                      </Td>
                    )}
                    <Td dataLabel={t('Phase')}>{pod.phase}</Td>
                    <Td dataLabel={t('Reason')}>
                      {/* The backend's reason for its one known case (capacity/model.ts), in the user's language. */}
                      {pod.reason.startsWith(`no ${extendedResource} request`)
                        ? t(
                            'No {{resource}} request: created in a namespace the webhook excludes, or while the webhook was not running.',
                            { resource: extendedResource },
                          )
                        : pod.reason}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </StackItem>
        </>
      )}
    </Stack>
  );
};

export default UnaccountedPeerPodsList;
