import type { FC, ReactNode } from 'react';
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  List,
  ListItem,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../api/backend';
import { pendingPinnedOf } from '../peer-pods/capacity/nodeCapacityRows';
import NodeStatusLabels from '../peer-pods/capacity/NodeStatusLabels';
import UtilisationBar from '../peer-pods/capacity/UtilisationBar';

/** One node's limit (and where it comes from), what it advertises, its use and its problems. */
const NodeCapacityDetails: FC<{ node: NodeCapacity }> = ({ node }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
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
    [t('Pending here'), node.pendingHere],
    [t('Pinned pending'), pendingPinnedOf(node)],
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
