// Routes: the shell's pages (overview, node list and details, any object's JSON) and every console.page/route
// extension, rendered as the console does with React Router 7: one Route per path, `exact: false`
// matching the path's subtree. Until every plugin has loaded, the routes are not rendered, so a
// plugin page's address never flashes "not found".
import type { ComponentType, FC } from 'react';
import { isRoutePage, type RoutePage } from '@openshift-console/dynamic-plugin-sdk/lib/extensions';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import { Navigate, Route, Routes } from 'react-router';
import { usePluginLoadState } from '../pluginLoading';
import { Loading } from './Loading';
import { ClusterOverviewPage } from './ClusterOverviewPage';
import { ErrorBoundary } from './ErrorBoundary';
import { NodeDetailsPage } from './NodeDetailsPage';
import { NodesPage } from './NodesPage';
import { NotFoundPage } from './NotFoundPage';
import { ResourceDetailsPage } from './ResourceDetailsPage';

export const ShellRoutes: FC = () => {
  const { settled } = usePluginLoadState();
  const [routePages, resolved] = useResolvedExtensions<RoutePage>(isRoutePage);
  if (!settled || !resolved) return <Loading label="Loading plugins" />;

  const pluginRoutes = routePages
    .filter((e) => !e.properties.perspective || e.properties.perspective === 'admin')
    .flatMap((e) => {
      const Component = e.properties.component as unknown as ComponentType;
      const paths = Array.isArray(e.properties.path) ? e.properties.path : [e.properties.path];
      return paths.map((path) => (
        <Route
          key={`${e.uid}:${path}`}
          path={e.properties.exact ? path : `${path.replace(/\/$/, '')}/*`}
          element={
            <ErrorBoundary what={`The page of plugin ${e.pluginName}`}>
              <Component />
            </ErrorBoundary>
          }
        />
      ));
    });

  return (
    <Routes>
      <Route path="/" element={<Navigate to="/dashboards" replace />} />
      <Route path="/dashboards" element={<ClusterOverviewPage />} />
      <Route path="/k8s/cluster/nodes" element={<NodesPage />} />
      <Route path="/k8s/cluster/nodes/:name/*" element={<NodeDetailsPage />} />
      <Route path="/k8s/cluster/:ref/:name/*" element={<ResourceDetailsPage />} />
      <Route path="/k8s/ns/:ns/:ref/:name/*" element={<ResourceDetailsPage />} />
      {pluginRoutes}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
};
