import type { FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, AlertGroup, Content, Flex, FlexItem, Label, PageSection } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom-v5-compat';

import { usePeerPodAlerts } from '../../../hooks/usePeerPodAlerts';
import type { FiringPeerPodAlert } from '../../../monitoring/alertRules';

const variantOf = (severity: string): 'danger' | 'warning' | 'info' =>
  severity === 'critical' ? 'danger' : severity === 'warning' ? 'warning' : 'info';

/** One firing alert: its summary, severity, name and since when, and the console's page for it. */
const FiringAlert: FC<{ alert: FiringPeerPodAlert }> = ({ alert }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const severities: Record<string, string> = { critical: t('Critical'), warning: t('Warning'), info: t('Info') };
  return (
    <Alert
      variant={variantOf(alert.severity)}
      isInline
      title={alert.summary ?? alert.name}
      actionLinks={
        <Link to={alert.detailsPath} aria-label={t('View the details of the alert {{alert}}', { alert: alert.name })}>
          {t('View alert details')}
        </Link>
      }
    >
      <Flex spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }}>
        <FlexItem>
          <Label isCompact status={variantOf(alert.severity)}>
            {severities[alert.severity] ?? alert.severity}
          </Label>
        </FlexItem>
        <FlexItem>
          <Content component="small">{alert.name}</Content>
        </FlexItem>
        {alert.activeAt && (
          <FlexItem>
            <Content component="small">
              {t('Firing since')} <Timestamp timestamp={alert.activeAt} />
            </Content>
          </FlexItem>
        )}
      </Flex>
      {alert.description && <Content component="p">{alert.description}</Content>}
    </Alert>
  );
};

/**
 * The peer-pod alerts that fire now, above the page's tabs. Without cluster monitoring, or without
 * the permission to read alerts, nothing shows: the rest of the page does not depend on it.
 */
const PeerPodAlertsBanner: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const alerts = usePeerPodAlerts();
  if (alerts.length === 0) return null;
  return (
    <PageSection aria-label={t('Firing peer pod alerts')} hasBodyWrapper={false}>
      <AlertGroup>
        {alerts.map((alert) => (
          <FiringAlert key={alert.detailsPath} alert={alert} />
        ))}
      </AlertGroup>
    </PageSection>
  );
};

export default PeerPodAlertsBanner;
