// The "Peer pods" health item in the Status card of Home → Overview. The console renders a
// plugin's health item there on its own Cluster overview (a console.dashboards/card only appears
// on a dashboard tab a plugin adds), in 4.20 and 4.22 alike. The console watches `resources` and
// calls `peerPodsHealth` with what it got; the popover (PeerPodsStatusPopup) has the live totals.
import type {
  HealthState,
  SubsystemHealth,
  WatchK8sResources,
  WatchK8sResults,
} from '@openshift-console/dynamic-plugin-sdk';
import type { TFunction } from 'i18next';

import { httpStatusOf } from '../../k8s/loadErrors';
import { DEFAULT_PEER_POD_CONFIG, PeerPodConfigModel, type PeerPodConfigKind } from '../../models/PeerPodConfig';
import { groupVersionKindOf } from '../../models/groupVersionKind';
import { validateLimit } from '../peer-pods/capacity/limit-editor/limitValidation';

type PeerPodsHealthResources = { peerPodConfig: PeerPodConfigKind };

/** One object, watched by name: the overview costs the same on 5 nodes and on 5,000. */
export const peerPodsHealthResources: WatchK8sResources<PeerPodsHealthResources> = {
  peerPodConfig: {
    groupVersionKind: groupVersionKindOf(PeerPodConfigModel),
    name: DEFAULT_PEER_POD_CONFIG.name,
    namespace: DEFAULT_PEER_POD_CONFIG.namespace,
    isList: false,
  },
};

// HealthState is a TypeScript enum the consoles do not all export at run time; its values are strings.
const state = (value: 'OK' | 'ERROR' | 'LOADING' | 'NOT_AVAILABLE'): HealthState => value as HealthState;

/** The key without its namespace, with `{{name}}` filled in: for a console that passes no `t`. */
const untranslated = (key: string, options?: Record<string, unknown>): string =>
  key.slice(key.indexOf('~') + 1).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options?.[name] ?? ''));

/** The item's state and line: from the PeerPodConfig the limit comes from. */
export const peerPodsHealth = (
  results: WatchK8sResults<PeerPodsHealthResources>,
  consoleT?: TFunction,
): SubsystemHealth => {
  // The console's t, whose default namespace is its own: keys carry the plugin's namespace.
  const t = (consoleT ?? untranslated) as (key: string, options?: Record<string, unknown>) => string;
  const { data, loaded, loadError } = results.peerPodConfig ?? {};
  if (loadError) {
    const status = httpStatusOf(loadError);
    if (status === 404) {
      return { state: state('NOT_AVAILABLE'), message: t('plugin__peer-pods-console-plugin~No PeerPodConfig') };
    }
    if (status === 403) {
      return { state: state('NOT_AVAILABLE'), message: t('plugin__peer-pods-console-plugin~Not visible to you') };
    }
    return { state: state('NOT_AVAILABLE'), message: t('plugin__peer-pods-console-plugin~Could not be read') };
  }
  if (!loaded || !data) return { state: state('LOADING') };
  const raw = data.spec?.limit;
  const limit = raw === undefined ? undefined : validateLimit(raw);
  if (!limit?.ok || raw !== raw?.trim()) {
    return {
      state: state('ERROR'),
      message: t('plugin__peer-pods-console-plugin~The VM limit is not a whole number'),
    };
  }
  return {
    state: state('OK'),
    message: t('plugin__peer-pods-console-plugin~{{limit}} VMs per node', { limit: limit.value }),
  };
};
