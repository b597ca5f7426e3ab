// The webpack share scope handed to the plugin's container, built by hand as the console does
// (`{ [module]: { [version]: { get, from, eager, loaded } } }`, where `get()` resolves to a
// factory returning the module). It holds the modules ConsoleRemotePlugin declares as provided by
// the console (`import: false`, singletons) and the PatternFly dynamic modules the console also
// provides (the plugin bundles fallbacks for those; `loaded: 1` keeps the plugin from replacing
// them with its own copies). Not provided: @openshift-console/dynamic-plugin-sdk-internal (a
// stub that throws on use) and @patternfly/react-topology (the plugin fails to load if it asks).
import React from 'react';
import * as ReactI18next from 'react-i18next';
import * as ReactRedux from 'react-redux';
import * as ReactRouter from 'react-router';
import * as Redux from 'redux';
import * as ReduxThunk from 'redux-thunk';
import * as DynamicPluginSdk from '@openshift/dynamic-plugin-sdk';
import { patternFlyModules, versions } from 'console-shell:shared-module-loaders';
import * as ConsoleSdk from './sdk/index';

type ShareScopeEntry = { get: () => Promise<() => unknown>; from: string; eager: boolean; loaded?: 1 };
export type ShareScope = Record<string, Record<string, ShareScopeEntry>>;

/** Names of SDK exports a plugin used that the shell does not implement (shown in the page). */
export const unimplementedSdkApis = new Set<string>();
const unimplementedListeners = new Set<() => void>();
export const onUnimplementedSdkApi = (listener: () => void) => {
  unimplementedListeners.add(listener);
  return () => unimplementedListeners.delete(listener);
};

/**
 * A module object whose missing exports are functions that throw a clear error when called or
 * rendered, instead of `undefined` (which fails far from the cause, as "X is not a function").
 */
const withUnimplementedStubs = (moduleName: string, module: Record<string, unknown>): Record<string, unknown> =>
  new Proxy(module, {
    get(target, prop) {
      if (prop in target || typeof prop === 'symbol') return Reflect.get(target, prop);
      if (prop === '__esModule') return true;
      if (prop === 'then' || prop === 'default') return undefined;
      return () => {
        if (!unimplementedSdkApis.has(prop)) {
          unimplementedSdkApis.add(prop);
          unimplementedListeners.forEach((l) => l());
        }
        throw new Error(
          `The console shell does not implement "${prop}" of ${moduleName}; add it to console-shell/web/sdk/.`,
        );
      };
    },
  });

const FROM = 'console-shell';

export const createShareScope = (): ShareScope => {
  const scope: ShareScope = {};
  const provide = (name: string, version: string, load: () => Promise<unknown>) => {
    scope[name] ??= {};
    scope[name][version] = { get: () => load().then((module) => () => module), from: FROM, eager: true, loaded: 1 };
  };
  const now = (module: unknown) => () => Promise.resolve(module);

  provide('react', versions['react']!, now(React));
  provide('react-i18next', versions['react-i18next']!, now(ReactI18next));
  provide('react-redux', versions['react-redux']!, now(ReactRedux));
  provide('react-router', versions['react-router']!, now(ReactRouter));
  // Deprecated names the console still answers, with react-router 7 behind them.
  provide('react-router-dom', versions['react-router']!, now(ReactRouter));
  provide('react-router-dom-v5-compat', versions['react-router']!, now(ReactRouter));
  provide('redux', versions['redux']!, now(Redux));
  provide('redux-thunk', versions['redux-thunk']!, now(ReduxThunk));
  provide('@openshift/dynamic-plugin-sdk', versions['@openshift/dynamic-plugin-sdk']!, now(DynamicPluginSdk));
  provide(
    '@openshift-console/dynamic-plugin-sdk',
    versions['@openshift-console/dynamic-plugin-sdk']!,
    now(withUnimplementedStubs('@openshift-console/dynamic-plugin-sdk', { ...ConsoleSdk })),
  );
  provide(
    '@openshift-console/dynamic-plugin-sdk-internal',
    versions['@openshift-console/dynamic-plugin-sdk']!,
    now(withUnimplementedStubs('@openshift-console/dynamic-plugin-sdk-internal', {})),
  );
  for (const [request, load] of Object.entries(patternFlyModules)) {
    const pkg = request.startsWith('@patternfly/react-table') ? '@patternfly/react-table' : '@patternfly/react-core';
    scope[request] ??= {};
    // Lazy: `loaded` only marks the entry as the console's, so the plugin does not override it.
    scope[request][versions[pkg]!] = { get: () => load().then((m) => () => m), from: FROM, eager: false, loaded: 1 };
  }
  return scope;
};
