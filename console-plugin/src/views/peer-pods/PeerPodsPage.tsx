import type { FC, ReactNode } from 'react';
import { DocumentTitle, ListPageHeader } from '@openshift-console/dynamic-plugin-sdk';
import { PageSection, Tab, TabContentBody, Tabs, TabTitleText } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom-v5-compat';

import { PEER_PODS_PAGE_PATH, PeerPodsTabId, peerPodsTabIds } from './peerPodsRoutes';
import PeerPodAlertsBanner from './alerts/PeerPodAlertsBanner';
import CapacityTab from './capacity/CapacityTab';
import NetworkSetupTab from './network-setup/NetworkSetupTab';
import SetupTab from './setup/SetupTab';
import VirtualMachinesTab from './virtual-machines/VirtualMachinesTab';

const DEFAULT_TAB: PeerPodsTabId = 'setup';

const isPeerPodsTabId = (value: string | undefined): value is PeerPodsTabId =>
  peerPodsTabIds.some((id) => id === value);

/** Admin page Compute → Peer pods. The selected tab lives in the URL so that it can be linked to. */
const PeerPodsPage: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { tab } = useParams<{ tab?: string }>();
  const navigate = useNavigate();
  const activeTab = isPeerPodsTabId(tab) ? tab : DEFAULT_TAB;

  const tabs: { id: PeerPodsTabId; title: string; content: ReactNode }[] = [
    { id: 'setup', title: t('Setup'), content: <SetupTab /> },
    { id: 'capacity', title: t('Capacity'), content: <CapacityTab /> },
    { id: 'virtual-machines', title: t('Virtual machines'), content: <VirtualMachinesTab /> },
    { id: 'network-setup', title: t('Network setup'), content: <NetworkSetupTab /> },
  ];

  return (
    <>
      <DocumentTitle>{t('Peer pods')}</DocumentTitle>
      <ListPageHeader
        title={t('Peer pods')}
        helpText={t(
          'Peer pods run each OpenShift sandboxed containers pod in its own cloud VM. See how many of those VMs each node may run.',
        )}
      />
      <PeerPodAlertsBanner />
      <PageSection>
        <Tabs
          activeKey={activeTab}
          onSelect={(_event, key) => navigate(`${PEER_PODS_PAGE_PATH}/${String(key)}`)}
          aria-label={t('Peer pods sections')}
          mountOnEnter
          unmountOnExit
        >
          {tabs.map(({ id, title, content }) => (
            <Tab key={id} eventKey={id} title={<TabTitleText>{title}</TabTitleText>}>
              <TabContentBody hasPadding>{content}</TabContentBody>
            </Tab>
          ))}
        </Tabs>
      </PageSection>
    </>
  );
};

export default PeerPodsPage;
