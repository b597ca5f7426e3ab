import { type FC, useId } from 'react';
import {
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  CardTitle,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import LoadingState from '../../components/LoadingState';
import { useCapacitySummary } from '../../hooks/useCapacitySummary';
import BackendErrorAlert from '../peer-pods/capacity/BackendErrorAlert';
import { PEER_PODS_PAGE_PATH } from '../peer-pods/peerPodsRoutes';

/** Home → Overview: the cluster's peer-pod VM totals, live, with a way to the Peer pods page. */
const PeerPodsOverviewCard: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { summary, error, refresh } = useCapacitySummary();
  const titleId = useId();

  const body = (() => {
    if (error !== undefined) return <BackendErrorAlert error={error} onRetry={refresh} isCompact />;
    if (!summary) return <LoadingState label={t('Loading peer pod capacity')} />;
    const { totals, orphans } = summary;
    if (totals.matchingNodes === 0 && totals.advertisedNodes === 0 && totals.peerPods === 0) {
      return (
        <Content component="p">
          {t('No node is set up for peer pods: no PeerPodConfig selects a node, and no node has an override.')}
        </Content>
      );
    }
    const rows: [string, string | number][] = [
      [t('Capacity'), totals.capacity],
      [t('In use'), totals.used],
      [t('Free'), totals.free],
      [t('Pending'), totals.pendingForCapacity],
      [t('VMs'), totals.vms],
      [t('Orphans'), orphans ?? t('Unknown')],
      [t('Unaccounted'), totals.unaccounted],
      [t('Nodes with drift'), totals.driftNodes],
    ];
    return (
      <DescriptionList isCompact isHorizontal aria-label={t('Peer pod totals')}>
        {rows.map(([term, value]) => (
          <DescriptionListGroup key={term}>
            <DescriptionListTerm>{term}</DescriptionListTerm>
            <DescriptionListDescription>{value}</DescriptionListDescription>
          </DescriptionListGroup>
        ))}
      </DescriptionList>
    );
  })();

  return (
    <Card aria-labelledby={titleId}>
      <CardHeader>
        <CardTitle id={titleId} component="h2">
          {t('Peer pods')}
        </CardTitle>
      </CardHeader>
      <CardBody>{body}</CardBody>
      <CardFooter>
        <Link to={`${PEER_PODS_PAGE_PATH}/capacity`}>{t('View peer pod capacity')}</Link>
      </CardFooter>
    </Card>
  );
};

export default PeerPodsOverviewCard;
