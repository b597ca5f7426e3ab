import { useCallback, useMemo } from 'react';
import { k8sPatch, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { ALLOWED_NAMESPACE_LABEL, ALLOWED_NAMESPACE_LABEL_VALUE } from '@peer-pods-console/contract/namespace-policy';

import { groupVersionKindOf } from '../models/groupVersionKind';
import { NamespaceKind, NamespaceModel } from '../models/Namespace';

export type NamespaceAllowListState = {
  /** Every namespace, by name. */
  namespaces: NamespaceKind[];
  loaded: boolean;
  loadError: unknown;
  /** Adds or removes the label peerpods.openshift.io/allowed=true, as the signed-in user. */
  setAllowed: (namespace: NamespaceKind, allowed: boolean) => Promise<void>;
};

/** The label's key as a JSON pointer segment (`/` is written `~1`). */
const LABEL_POINTER = `/metadata/labels/${ALLOWED_NAMESPACE_LABEL.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Watches the namespaces, and labels / unlabels them for the peer pods namespace policy. */
export const useNamespaceAllowList = (): NamespaceAllowListState => {
  const [namespaces, loaded, loadError] = useK8sWatchResource<NamespaceKind[]>({
    groupVersionKind: groupVersionKindOf(NamespaceModel),
    isList: true,
  });

  const setAllowed = useCallback(async (namespace: NamespaceKind, allowed: boolean) => {
    const labels = namespace.metadata?.labels;
    const data = allowed
      ? labels
        ? [{ op: 'add', path: LABEL_POINTER, value: ALLOWED_NAMESPACE_LABEL_VALUE }]
        : [{ op: 'add', path: '/metadata/labels', value: { [ALLOWED_NAMESPACE_LABEL]: ALLOWED_NAMESPACE_LABEL_VALUE } }]
      : [{ op: 'remove', path: LABEL_POINTER }];
    if (!allowed && labels?.[ALLOWED_NAMESPACE_LABEL] === undefined) return;
    await k8sPatch({ model: NamespaceModel, resource: namespace, data });
  }, []);

  const sorted = useMemo(
    () => [...(namespaces ?? [])].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')),
    [namespaces],
  );
  // The console reports "no error" as an empty string.
  const error: unknown = loadError || undefined;
  return { namespaces: sorted, loaded: loaded || Boolean(error), loadError: error, setAllowed };
};
