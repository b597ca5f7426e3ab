// The shell's page: the providers the console gives plugins (redux store, plugin store, router,
// i18next via initReactI18next), a masthead, the admin navigation and the routes.
import { Suspense, useEffect, useState, type FC } from 'react';
import { Alert, AlertGroup, Page, PageSection, PageSidebar, PageSidebarBody } from '@patternfly/react-core';
import { PluginStoreProvider, usePluginInfo, type PluginStore } from '@openshift/dynamic-plugin-sdk';
import { Provider as ReduxProvider } from 'react-redux';
import { BrowserRouter } from 'react-router';
import { applyMiddleware, combineReducers, legacy_createStore as createStore } from 'redux';
import { thunk } from 'redux-thunk';
import { usePluginLoadState } from '../pluginLoading';
import { onUnimplementedSdkApi, unimplementedSdkApis } from '../sharedScope';
import { Loading } from './Loading';
import { ShellMasthead } from './ShellMasthead';
import { ShellNavigation } from './ShellNavigation';
import { ShellRoutes } from './ShellRoutes';

// Plugins may read and dispatch to the console's store; the shell's holds no console state.
const reduxStore = createStore(
  combineReducers({
    sdkCore: (state: Record<string, unknown> = {}) => state,
    plugins: (state: Record<string, unknown> = {}) => state,
  }),
  applyMiddleware(thunk),
);

/** Plugins that failed to load, and SDK APIs a plugin used that the shell lacks: said in the page, not only in the console log. */
const ShellProblems: FC = () => {
  const info = usePluginInfo();
  const { manifestErrors } = usePluginLoadState();
  const [, setUnimplementedCount] = useState(0);
  useEffect(() => {
    const unsubscribe = onUnimplementedSdkApi(() => setUnimplementedCount(unimplementedSdkApis.size));
    return () => void unsubscribe();
  }, []);
  const failed = info.filter((p) => p.status === 'failed');
  if (failed.length === 0 && manifestErrors.length === 0 && unimplementedSdkApis.size === 0) return null;
  return (
    <PageSection hasBodyWrapper={false}>
      <AlertGroup>
        {failed.map((p) => (
          <Alert key={p.manifest.name} variant="danger" isInline title={`Plugin ${p.manifest.name} failed to load`}>
            {p.status === 'failed' && p.errorMessage}
          </Alert>
        ))}
        {manifestErrors.map((e) => (
          <Alert key={`manifest-${e.name}`} variant="danger" isInline title={`Plugin ${e.name} failed to load`}>
            {e.error}
          </Alert>
        ))}
        {unimplementedSdkApis.size > 0 && (
          <Alert variant="warning" isInline title="The plugin used console SDK APIs the shell does not implement">
            {[...unimplementedSdkApis].join(', ')}
          </Alert>
        )}
      </AlertGroup>
    </PageSection>
  );
};

export const App: FC<{ pluginStore: PluginStore }> = ({ pluginStore }) => (
  <ReduxProvider store={reduxStore}>
    <PluginStoreProvider store={pluginStore}>
      <BrowserRouter>
        <Suspense fallback={<Loading label="Loading translations" />}>
          <Page
            masthead={<ShellMasthead />}
            sidebar={
              <PageSidebar>
                <PageSidebarBody>
                  <ShellNavigation />
                </PageSidebarBody>
              </PageSidebar>
            }
            isManagedSidebar
          >
            <ShellProblems />
            <ShellRoutes />
          </Page>
        </Suspense>
      </BrowserRouter>
    </PluginStoreProvider>
  </ReduxProvider>
);
