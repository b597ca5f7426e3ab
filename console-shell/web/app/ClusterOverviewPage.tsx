// Home → Overview (/dashboards), laid out as the console's: the title "Overview" and a tab list
// with the built-in "Cluster" tab, then one tab per console.dashboards/tab extension of the
// "home" nav section. The Cluster tab has the console's fixed cards (here Details on the left and
// Status in the middle); the Status card shows one health item per
// console.dashboards/overview/health/resource extension. A plugin's console.dashboards/card
// extensions appear only on the plugin tab their `tab` names, in its LEFT/MAIN/RIGHT columns:
// never on the Cluster tab, and a card naming a tab no plugin declared (`tab: 'home'`, say) is not
// rendered anywhere. That is what the real console does, in 4.20 and 4.22 alike.
import { useEffect, useState, type ComponentType, type FC } from 'react';
import {
  Card,
  CardBody,
  CardTitle,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Grid,
  GridItem,
  PageSection,
  Stack,
  StackItem,
  Tab,
  Tabs,
  TabTitleText,
} from '@patternfly/react-core';
import {
  isDashboardsCard,
  isDashboardsOverviewHealthResourceSubsystem,
  isDashboardsTab,
  type DashboardsCard,
  type DashboardsOverviewHealthResourceSubsystem,
  type DashboardsTab,
} from '@openshift-console/dynamic-plugin-sdk/lib/extensions';
import { useResolvedExtensions, type LoadedAndResolvedExtension } from '@openshift/dynamic-plugin-sdk';
import { useTranslation } from 'react-i18next';
import { consoleFetchJSON } from '../sdk/consoleFetch';
import { DocumentTitle, ListPageHeader } from '../sdk/components';
import { useK8sWatchResources } from '../sdk/useK8sWatchResource';
import { ErrorBoundary } from './ErrorBoundary';
import { translateExtensionLabel } from './extensionLabels';
import { ResourceHealthItem } from './HealthItem';
import { NODE_GVK, type NodeKind } from './NodesPage';

const CLUSTER_TAB = '';

const ClusterCard: FC = () => {
  const [version, setVersion] = useState<string>();
  const { nodes } = useK8sWatchResources<{ nodes: NodeKind[] }>({
    nodes: { groupVersionKind: NODE_GVK, isList: true },
  });
  useEffect(() => {
    (consoleFetchJSON('/api/kubernetes/version') as Promise<{ gitVersion?: string }>)
      .then((v) => setVersion(v.gitVersion))
      .catch(() => setVersion('unknown'));
  }, []);
  return (
    <Card>
      <CardTitle>
        <h2 className="pf-v6-c-card__title-text">Details</h2>
      </CardTitle>
      <CardBody>
        <DescriptionList aria-label="Cluster details">
          <DescriptionListGroup>
            <DescriptionListTerm>Kubernetes version</DescriptionListTerm>
            <DescriptionListDescription>{version ?? '…'}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Nodes</DescriptionListTerm>
            <DescriptionListDescription>
              {nodes.loadError ? 'Not available' : nodes.loaded ? nodes.data.length : '…'}
            </DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
      </CardBody>
    </Card>
  );
};

/** The console's Status card, with only the health items plugins add (not the console's own). */
const StatusCard: FC = () => {
  const [healthItems] = useResolvedExtensions<DashboardsOverviewHealthResourceSubsystem>(
    isDashboardsOverviewHealthResourceSubsystem,
  );
  return (
    <Card data-test-id="status-card">
      <CardTitle>
        <h2 className="pf-v6-c-card__title-text">Status</h2>
      </CardTitle>
      <CardBody>
        {healthItems.length === 0 ? (
          <Content component="p">No plugin adds a health item.</Content>
        ) : (
          <Grid hasGutter>
            {healthItems.map((e) => (
              <GridItem key={e.uid} md={6} xl={4}>
                <ErrorBoundary what={`A health item of plugin ${e.pluginName}`}>
                  <ResourceHealthItem extension={e} />
                </ErrorBoundary>
              </GridItem>
            ))}
          </Grid>
        )}
      </CardBody>
    </Card>
  );
};

const ClusterDashboard: FC = () => (
  <Grid hasGutter>
    <GridItem lg={3} md={12}>
      <ClusterCard />
    </GridItem>
    <GridItem lg={6} md={12}>
      <StatusCard />
    </GridItem>
  </Grid>
);

type ResolvedCard = LoadedAndResolvedExtension<DashboardsCard>;

/** A plugin tab: its cards in the console's three columns. */
const PluginDashboard: FC<{ cards: ResolvedCard[] }> = ({ cards }) => {
  const column = (position: DashboardsCard['properties']['position']) =>
    cards
      .filter((c) => c.properties.position === position)
      .map((c) => {
        const Component = c.properties.component as unknown as ComponentType;
        return (
          <StackItem key={c.uid}>
            <ErrorBoundary what={`A dashboard card of plugin ${c.pluginName}`}>
              <Component />
            </ErrorBoundary>
          </StackItem>
        );
      });
  return (
    <Grid hasGutter>
      <GridItem lg={3} md={12}>
        <Stack hasGutter>{column('LEFT')}</Stack>
      </GridItem>
      <GridItem lg={6} md={12}>
        <Stack hasGutter>{column('MAIN')}</Stack>
      </GridItem>
      <GridItem lg={3} md={12}>
        <Stack hasGutter>{column('RIGHT')}</Stack>
      </GridItem>
    </Grid>
  );
};

export const ClusterOverviewPage: FC = () => {
  const { t } = useTranslation();
  const [tabs] = useResolvedExtensions<DashboardsTab>(isDashboardsTab);
  const [cards] = useResolvedExtensions<DashboardsCard>(isDashboardsCard);
  const [activeTab, setActiveTab] = useState<string>(CLUSTER_TAB);
  const homeTabs = tabs.filter((tab) => tab.properties.navSection === 'home');
  const shownTab = homeTabs.some((tab) => tab.properties.id === activeTab) ? activeTab : CLUSTER_TAB;
  const tabElements = [
    <Tab key={CLUSTER_TAB} eventKey={CLUSTER_TAB} title={<TabTitleText>Cluster</TabTitleText>}>
      <div className="pf-v6-u-pt-md">
        <ClusterDashboard />
      </div>
    </Tab>,
    ...homeTabs.map((tab) => (
      <Tab
        key={tab.uid}
        eventKey={tab.properties.id}
        title={<TabTitleText>{translateExtensionLabel(tab.properties.title, t)}</TabTitleText>}
      >
        <div className="pf-v6-u-pt-md">
          <PluginDashboard cards={cards.filter((c) => c.properties.tab === tab.properties.id)} />
        </div>
      </Tab>
    )),
  ];

  return (
    <>
      <DocumentTitle>Overview</DocumentTitle>
      <ListPageHeader title="Overview" />
      <PageSection hasBodyWrapper={false}>
        {/* Only the open tab is mounted, as the console's routed tabs. */}
        <Tabs
          activeKey={shownTab}
          onSelect={(_event, key) => setActiveTab(String(key))}
          aria-label="Dashboards"
          mountOnEnter
          unmountOnExit
        >
          {tabElements}
        </Tabs>
      </PageSection>
    </>
  );
};
