// Home → Overview (/dashboards): the console.dashboards/card extensions of the "home" tab in
// the console's three columns (LEFT, MAIN, RIGHT), next to the shell's own cluster card.
import { useEffect, useState, type ComponentType, type FC } from 'react';
import {
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Grid,
  GridItem,
  PageSection,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { isDashboardsCard, type DashboardsCard } from '@openshift-console/dynamic-plugin-sdk';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import { consoleFetchJSON } from '../sdk/consoleFetch';
import { DocumentTitle, ListPageHeader } from '../sdk/components';
import { useK8sWatchResources } from '../sdk/useK8sWatchResource';
import { ErrorBoundary } from './ErrorBoundary';
import { NODE_GVK, type NodeKind } from './NodesPage';

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

export const ClusterOverviewPage: FC = () => {
  const [cards] = useResolvedExtensions<DashboardsCard>(isDashboardsCard);
  const homeCards = cards.filter((c) => c.properties.tab === 'home');
  const column = (position: DashboardsCard['properties']['position']) =>
    homeCards
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
    <>
      <DocumentTitle>Overview</DocumentTitle>
      <ListPageHeader title="Overview" />
      <PageSection hasBodyWrapper={false}>
        <Grid hasGutter>
          <GridItem lg={3} md={12}>
            <Stack hasGutter>
              <StackItem>
                <ClusterCard />
              </StackItem>
              {column('LEFT')}
            </Stack>
          </GridItem>
          <GridItem lg={6} md={12}>
            <Stack hasGutter>{column('MAIN')}</Stack>
          </GridItem>
          <GridItem lg={3} md={12}>
            <Stack hasGutter>{column('RIGHT')}</Stack>
          </GridItem>
        </Grid>
      </PageSection>
    </>
  );
};
