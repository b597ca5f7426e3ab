// Start-up of the console shell: i18n, each plugin from its manifest
// (/api/plugins/<name>/plugin-manifest.json) through the @openshift/dynamic-plugin-sdk loader
// with the shell's share scope, and the page, which waits for the plugins before routing.
import { createRoot } from 'react-dom/client';
import { PluginStore } from '@openshift/dynamic-plugin-sdk';
import { versions } from 'console-shell:shared-module-loaders';
import { detectAccessFlags } from './accessFlags';
import { App } from './app/App';
import i18n, { initI18n } from './i18n';
import { loadPlugins } from './pluginLoading';
import { serverFlags } from './serverFlags';
import { createShareScope } from './sharedScope';

const pluginNames = serverFlags().consolePlugins;
const pluginNamespaces = pluginNames.map((name) => `plugin__${name}`);

const sharedScope = createShareScope();
// The console exposes its share scope the same way outside production builds; the SDK tests use it
// to call the very module a plugin receives.
Object.assign(window, { webpackSharedScope: sharedScope });

const pluginStore = new PluginStore({
  loaderOptions: {
    sharedScope,
    // Plugins declare the console version they need as a dependency on "@console/pluginAPI".
    customDependencyResolutions: { '@console/pluginAPI': versions['@openshift-console/dynamic-plugin-sdk']! },
  },
});

type PluginEntryCallback = (pluginId: string, entryModule: unknown) => void;
const entryCallbacks = window as unknown as {
  loadPluginEntry?: PluginEntryCallback;
  __load_plugin_entry__: PluginEntryCallback;
};
// The real console 4.22 registers the same legacy callback (SDK 4.20 plugins call loadPluginEntry).
entryCallbacks.loadPluginEntry = (pluginId, entryModule) => {
  const name = pluginId.includes('@') ? pluginId.slice(0, pluginId.lastIndexOf('@')) : pluginId;
  console.warn(
    `[DEPRECATION WARNING] ${pluginId} was built for an older version of Console and may not work correctly in this version.`,
  );
  entryCallbacks.__load_plugin_entry__(name, entryModule);
};

void initI18n(pluginNamespaces).then(() => {
  document.documentElement.lang = i18n.language;
});
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

detectAccessFlags(pluginStore);
loadPlugins(pluginStore, pluginNames);

createRoot(document.getElementById('app')!).render(<App pluginStore={pluginStore} />);
