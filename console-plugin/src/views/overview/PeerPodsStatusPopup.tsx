import { type FC } from 'react';
import {
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom-v5-compat';

import LoadingState from '../../components/LoadingState';
import { useCapacitySummary } from '../../hooks/useCapacitySummary';
import BackendErrorAlert from '../peer-pods/capacity/BackendErrorAlert';
import { PEER_PODS_PAGE_PATH } from '../peer-pods/peerPodsRoutes';

/**
 * The popover of the "Peer pods" health item on Home → Overview: the cluster's peer-pod VM totals
 * from the backend, live, and the way to the Peer pods page.
 */
const PeerPodsStatusPopup: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { summary, error, refresh } = useCapacitySummary();

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
      <>
        <DescriptionList isCompact isHorizontal aria-label={t('Peer pod totals')}>
          {rows.map(([term, value]) => (
            <DescriptionListGroup key={term}>
              <DescriptionListTerm>{term}</DescriptionListTerm>
              <DescriptionListDescription>{value}</DescriptionListDescription>
            </DescriptionListGroup>
          ))}
        </DescriptionList>
        {totals.driftNodes > 0 && (
          <Content component="small">
            {t(
              'Nodes whose advertised peer pod VM capacity is not what their limit or override says: not advertised yet, a different number, or advertised although no limit applies.',
            )}
          </Content>
        )}
      </>
    );
  })();

  return (
    <Stack hasGutter>
      <StackItem>{body}</StackItem>
      <StackItem>
        <Link to={`${PEER_PODS_PAGE_PATH}/capacity`}>{t('View peer pod capacity')}</Link>
      </StackItem>
    </Stack>
  );
};

export default PeerPodsStatusPopup;
