import { useMemo } from 'react';
import {
  PrometheusEndpoint,
  type PrometheusRulesResponse,
  usePrometheusPoll,
} from '@openshift-console/dynamic-plugin-sdk';

import { type FiringPeerPodAlert, firingPeerPodAlerts } from '../monitoring/alertRules';

/** How often the alerting rules are read again (the console's own alert poller waits 15 s). */
export const ALERTS_POLL_MS = 30_000;

/**
 * The firing alerts of the chart's PrometheusRule, from the rules API the console proxies
 * (`<prometheusBaseURL>/api/v1/rules`, the Thanos querier, as the signed-in user). Without
 * monitoring, or without the permission to read it, the console answers with an error: then there
 * is simply no alert to show.
 */
export const usePeerPodAlerts = (): FiringPeerPodAlert[] => {
  const [response, , error] = usePrometheusPoll({ endpoint: PrometheusEndpoint.RULES, delay: ALERTS_POLL_MS });
  // The poll hook is typed for queries; the rules endpoint answers with groups of rules.
  const rules = error ? undefined : (response as unknown as PrometheusRulesResponse | undefined);
  return useMemo(() => firingPeerPodAlerts(rules), [rules]);
};
