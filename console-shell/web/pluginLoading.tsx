// Loads each plugin from its manifest and remembers when all have settled and which failed
// before the PluginStore knew them (an unreadable manifest never shows in usePluginInfo).
import { useSyncExternalStore } from 'react';
import type { PluginStore } from '@openshift/dynamic-plugin-sdk';
import i18n from './i18n';

type PluginLoadState = { settled: boolean; manifestErrors: { name: string; error: string }[] };

let state: PluginLoadState = { settled: false, manifestErrors: [] };
const listeners = new Set<() => void>();
const update = (next: PluginLoadState) => {
  state = next;
  listeners.forEach((l) => l());
};

export const loadPlugins = (pluginStore: PluginStore, names: string[]): void => {
  const loads = names.map((name) =>
    Promise.all([
      // ConsolePlugin `i18n.loadType: Preload`: the namespace is there before the plugin renders.
      i18n.loadNamespaces(`plugin__${name}`),
      pluginStore.loadPlugin(`/api/plugins/${name}/plugin-manifest.json`),
    ]).catch((err: unknown) => {
      console.error(`console shell: plugin ${name} failed to load`, err);
      update({ ...state, manifestErrors: [...state.manifestErrors, { name, error: String(err) }] });
    }),
  );
  void Promise.allSettled(loads).then(() => update({ ...state, settled: true }));
};

export const usePluginLoadState = (): PluginLoadState =>
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
