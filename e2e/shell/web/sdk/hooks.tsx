// Small SDK hooks: the active namespace (the shell has no namespace bar, so the console's
// default "all namespaces" unless a page sets one), feature flags (the PluginStore's flags,
// which also gate extensions' `flags`), the perspective (always admin), user preferences
// (localStorage instead of the console's user-settings ConfigMap) and useResolvedExtensions
// over the @openshift/dynamic-plugin-sdk store that loaded the plugin.
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useState,
  type Dispatch,
  type FC,
  type ReactNode,
  type SetStateAction,
} from 'react';
import type { UseActiveNamespace, UseActivePerspective } from '@openshift-console/dynamic-plugin-sdk';
import {
  useFeatureFlag,
  useResolvedExtensions as useStoreResolvedExtensions,
  type Extension,
  type ExtensionPredicate,
  type LoadedAndResolvedExtension,
} from '@openshift/dynamic-plugin-sdk';
import { ALL_NAMESPACES_KEY } from '@openshift-console/dynamic-plugin-sdk/lib/constants';

const ActiveNamespaceContext = createContext<[string, (ns: string) => void]>([ALL_NAMESPACES_KEY, () => {}]);

export const ActiveNamespaceProvider: FC<{ children?: ReactNode }> = ({ children }) => {
  const state = useState<string>(ALL_NAMESPACES_KEY);
  return createElement(ActiveNamespaceContext.Provider, { value: state }, children);
};

export const useActiveNamespace: UseActiveNamespace = () => useContext(ActiveNamespaceContext);

export const useActivePerspective: UseActivePerspective = () => ['admin', () => {}];

export const useFlag = (flag: string): boolean => Boolean(useFeatureFlag(flag)[0]);

const preferenceKey = (key: string) => `console-shell/user-preference/${key}`;

export const useUserPreference = <T,>(key: string, defaultValue?: T): [T, Dispatch<SetStateAction<T>>, boolean] => {
  const [value, setValue] = useState<T>(() => {
    const stored = localStorage.getItem(preferenceKey(key));
    return stored === null ? (defaultValue as T) : (JSON.parse(stored) as T);
  });
  const set: Dispatch<SetStateAction<T>> = useCallback(
    (next) =>
      setValue((previous) => {
        const resolved = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
        localStorage.setItem(preferenceKey(key), JSON.stringify(resolved));
        return resolved;
      }),
    [key],
  );
  return [value, set, true];
};

/** An extension is wanted when any of the type guards accepts it (the console's semantics). */
export const useResolvedExtensions = <E extends Extension>(
  ...typeGuards: ExtensionPredicate<E>[]
): [LoadedAndResolvedExtension<E>[], boolean, unknown[]] => {
  // The guards themselves are the dependencies: stable functions give a stable predicate.
  const predicate = useCallback((e: Extension): e is E => typeGuards.some((guard) => guard(e)), typeGuards);
  return useStoreResolvedExtensions<E>(predicate);
};
