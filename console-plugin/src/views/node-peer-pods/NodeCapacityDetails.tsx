import type { FC, ReactNode } from 'react';
import {
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  List,
  ListItem,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../api/backend';
import { pendingPinnedOf } from '../peer-pods/capacity/nodeCapacityRows';
import NodeStatusLabels from '../peer-pods/capacity/NodeStatusLabels';
import { usePinnedPendingText } from '../peer-pods/capacity/usePinnedPendingText';
import UtilisationBar from '../peer-pods/capacity/UtilisationBar';

/** A count, with what it means when there is something to count. */
const Counted: FC<{ count: number; meaning: string }> = ({ count, meaning }) =>
  count === 0 ? (
    <>{count}</>
  ) : (
    <Stack>
      <StackItem>{count}</StackItem>
      <StackItem>
        <Content component="small">{meaning}</Content>
      </StackItem>
    </Stack>
  );

/** One node's limit (and where it comes from), what it advertises, its use and its problems. */
const NodeCapacityDetails: FC<{ node: NodeCapacity }> = ({ node }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const pinnedPendingText = usePinnedPendingText();
  const source =
    node.source === 'override'
      ? t('Override on this node')
      : node.config
        ? t('PeerPodConfig {{name}}', { name: node.config.name })
        : t('No PeerPodConfig selects this node');
  const rows: [string, ReactNode][] = [
    [t('Limit from'), source],
    [t('Limit'), node.desired ?? '—'],
    [t('Advertised'), node.advertised ?? t('Not advertised')],
    [t('Allocatable'), node.allocatable ?? '—'],
    [t('In use'), node.used],
    [t('Free'), node.free],
    // Two kinds of pending pods: placed here (their VM is starting), and waiting for room here.
    [
      t('Pending here'),
      <Counted
        key="here"
        count={node.pendingHere}
        meaning={t('Peer pods placed on this node whose VM is still being created.')}
      />,
    ],
    [
      t('Pending for this node'),
      <Counted key="pinned" count={pendingPinnedOf(node)} meaning={pinnedPendingText(node)} />,
    ],
    [t('Utilisation'), <UtilisationBar key="bar" node={node} />],
    [t('Status'), <NodeStatusLabels key="labels" node={node} />],
  ];
  return (
    <DescriptionList isHorizontal isCompact aria-label={t('Peer pod capacity of the node')}>
      {rows.map(([term, description]) => (
        <DescriptionListGroup key={term}>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>{description}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
      {node.problems.length > 0 && (
        <DescriptionListGroup>
          <DescriptionListTerm>{t('Problems')}</DescriptionListTerm>
          <DescriptionListDescription>
            <List>
              {node.problems.map((problem) => (
                <ListItem key={problem}>{problem}</ListItem>
              ))}
            </List>
          </DescriptionListDescription>
        </DescriptionListGroup>
      )}
    </DescriptionList>
  );
};

export default NodeCapacityDetails;
