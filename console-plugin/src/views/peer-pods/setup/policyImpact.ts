import { isNamespaceAllowed } from '@peer-pods-console/contract/namespace-policy';
import type { SetupReport } from '../../../api/backend';
import type { NamespaceKind } from '../../../models/Namespace';

export type NamespacePeerPods = SetupReport['peerPodNamespaces'][number];

/**
 * Namespaces whose running peer pods the policy would not allow: they keep running, but new ones
 * there are refused. A namespace the user cannot see counts as not allowed (the label is unknown).
 */
export const peerPodsOutsideAllowedNamespaces = (
  peerPodNamespaces: readonly NamespacePeerPods[],
  namespaces: readonly NamespaceKind[],
): NamespacePeerPods[] => {
  const allowed = new Set(
    namespaces.filter((ns) => isNamespaceAllowed(ns.metadata?.labels)).map((ns) => ns.metadata?.name),
  );
  return peerPodNamespaces.filter((entry) => !allowed.has(entry.namespace));
};
