// Node details at /k8s/cluster/nodes/:name/<tab>: the shell's Details tab plus every
// console.tab/horizontalNav extension for core~v1~Node, whose component gets `obj` (the live
// Node) like the console's HorizontalNav pages.
import type { ComponentType, FC } from 'react';
import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Nav,
  NavItem,
  NavList,
  PageSection,
  Title,
} from '@patternfly/react-core';
import {
  isHorizontalNavTab,
  type HorizontalNavTab,
  type PageComponentProps,
} from '@openshift-console/dynamic-plugin-sdk/lib/extensions';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import { DocumentTitle, ResourceIcon, Timestamp } from '../sdk/components';
import { useK8sWatchResource } from '../sdk/useK8sWatchResource';
import { ErrorBoundary } from './ErrorBoundary';
import { translateExtensionLabel } from './extensionLabels';
import { Loading } from './Loading';
import { NODE_GVK, nodeReadiness, type NodeKind } from './NodesPage';

const isNodeTab = (e: { properties: Pick<HorizontalNavTab['properties'], 'model'> }) =>
  (e.properties.model.group || 'core') === 'core' &&
  e.properties.model.version === 'v1' &&
  e.properties.model.kind === 'Node';

const NodeDetails: FC<{ node: NodeKind }> = ({ node }) => (
  <DescriptionList aria-label="Node details">
    <DescriptionListGroup>
      <DescriptionListTerm>Name</DescriptionListTerm>
      <DescriptionListDescription>{node.metadata?.name}</DescriptionListDescription>
    </DescriptionListGroup>
    <DescriptionListGroup>
      <DescriptionListTerm>Status</DescriptionListTerm>
      <DescriptionListDescription>{nodeReadiness(node)}</DescriptionListDescription>
    </DescriptionListGroup>
    <DescriptionListGroup>
      <DescriptionListTerm>Provider ID</DescriptionListTerm>
      <DescriptionListDescription>{node.spec?.providerID ?? '-'}</DescriptionListDescription>
    </DescriptionListGroup>
    <DescriptionListGroup>
      <DescriptionListTerm>Created</DescriptionListTerm>
      <DescriptionListDescription>
        <Timestamp timestamp={node.metadata?.creationTimestamp ?? ''} />
      </DescriptionListDescription>
    </DescriptionListGroup>
  </DescriptionList>
);

export const NodeDetailsPage: FC = () => {
  const { t } = useTranslation();
  const params = useParams();
  const name = params.name!;
  const tab = params['*'] ?? '';
  const [node, loaded, loadError] = useK8sWatchResource<NodeKind>({ groupVersionKind: NODE_GVK, name });
  const [tabExtensions] = useResolvedExtensions<HorizontalNavTab>(isHorizontalNavTab);
  const pages = [
    { href: '', name: 'Details', component: undefined as ComponentType<PageComponentProps> | undefined },
    ...tabExtensions.filter(isNodeTab).map((e) => ({
      href: e.properties.page.href,
      name: translateExtensionLabel(e.properties.page.name, t),
      component: e.properties.component as unknown as ComponentType<PageComponentProps>,
    })),
  ];
  const base = `/k8s/cluster/nodes/${encodeURIComponent(name)}`;

  return (
    <>
      <DocumentTitle>{`${name} · Node`}</DocumentTitle>
      <PageSection hasBodyWrapper={false}>
        <Breadcrumb>
          <BreadcrumbItem>
            <Link to="/k8s/cluster/nodes">Nodes</Link>
          </BreadcrumbItem>
          <BreadcrumbItem isActive>Node details</BreadcrumbItem>
        </Breadcrumb>
        <Title headingLevel="h1" data-test="page-heading">
          <ResourceIcon groupVersionKind={NODE_GVK} /> {name}
        </Title>
      </PageSection>
      <PageSection hasBodyWrapper={false}>
        {/* Links, as the console's horizontal nav: each tab is an address of its own. */}
        <Nav variant="horizontal-subnav" aria-label="Node pages">
          <NavList>
            {pages.map((p) => (
              <NavItem
                key={p.href}
                itemId={p.href}
                isActive={p.href === tab || (p.href !== '' && tab.startsWith(`${p.href}/`))}
              >
                <NavLink to={p.href ? `${base}/${p.href}` : base} end>
                  {p.name}
                </NavLink>
              </NavItem>
            ))}
          </NavList>
        </Nav>
      </PageSection>
      {/* As in the console: its own tabs pad their body; a plugin's tab gets no padding from the page. */}
      {loadError && !loaded ? (
        <PageSection hasBodyWrapper={false}>
          <Alert variant="danger" isInline title={`Could not load node ${name}`}>
            {(loadError as Error).message}
          </Alert>
        </PageSection>
      ) : !loaded ? (
        <PageSection hasBodyWrapper={false}>
          <Loading label="Loading the node" />
        </PageSection>
      ) : (
        <Routes>
          <Route
            index
            element={
              <PageSection hasBodyWrapper={false}>
                <NodeDetails node={node} />
              </PageSection>
            }
          />
          {pages
            .filter((p) => p.component)
            .map((p) => {
              const Component = p.component!;
              return (
                <Route
                  key={p.href}
                  path={`${p.href}/*`}
                  element={
                    <ErrorBoundary what={`The ${p.name} tab`}>
                      <Component obj={node} params={params} />
                    </ErrorBoundary>
                  }
                />
              );
            })}
          <Route
            path="*"
            element={
              <PageSection hasBodyWrapper={false}>
                <Alert variant="warning" isInline title={`Node ${name} has no tab "${tab}"`} />
              </PageSection>
            }
          />
        </Routes>
      )}
    </>
  );
};
