// The firing peer-pod alerts in Prometheus's rules API answer, and the console's address of each.
// The console names an alert by the id of its rule, a hash it computes in the browser (openshift/
// console public/components/monitoring/utils.ts getAlertsAndRules, and openshift/monitoring-plugin
// web/src/components/utils.ts, which serves /monitoring/alerts/:ruleID since 4.14): murmur3 of the
// rule's group file and name, its name, duration, query and labels. The same hash here gives the link
// the console's alert details page resolves.
import type { PrometheusRulesResponse } from '@openshift-console/dynamic-plugin-sdk';
import { PEER_POD_ALERTS, type PeerPodAlert } from '@peer-pods-console/contract/operations';

type RuleGroup = PrometheusRulesResponse['data']['groups'][number];
type PrometheusRule = RuleGroup['rules'][number];

/** MurmurHash3 (x86, 32 bit) of the string's low bytes, as murmurhash-js's murmur3 computes it. */
export const murmur3 = (key: string, seed = 0): number => {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const remainder = key.length & 3;
  const bytes = key.length - remainder;
  let h1 = seed;
  let i = 0;
  const byteAt = (index: number) => key.charCodeAt(index) & 0xff;
  const scramble = (k: number) => Math.imul(rotateLeft(Math.imul(k, c1), 15), c2);
  while (i < bytes) {
    const k1 = byteAt(i) | (byteAt(i + 1) << 8) | (byteAt(i + 2) << 16) | (byteAt(i + 3) << 24);
    i += 4;
    h1 ^= scramble(k1);
    h1 = rotateLeft(h1, 13);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  let k1 = 0;
  if (remainder === 3) k1 ^= byteAt(i + 2) << 16;
  if (remainder >= 2) k1 ^= byteAt(i + 1) << 8;
  if (remainder >= 1) {
    k1 ^= byteAt(i);
    h1 ^= scramble(k1);
  }
  h1 ^= key.length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
};

const rotateLeft = (value: number, bits: number): number => (value << bits) | (value >>> (32 - bits));

/**
 * The console's id of an alerting rule. Its key lists each label as "value=name": the console maps
 * the labels with lodash's (value, key) argument order into a `${k}=${v}` template, and its seed, the
 * string 'monitoring-salt', counts as 0.
 */
export const alertRuleId = (group: Pick<RuleGroup, 'file' | 'name'>, rule: PrometheusRule): string => {
  const key = [
    group.file,
    group.name,
    rule.name,
    rule.duration,
    rule.query,
    ...Object.entries(rule.labels ?? {}).map(([name, value]) => `${value}=${name}`),
  ].join(',');
  return String(murmur3(key));
};

/** The console's alert details page of one alert: /monitoring/alerts/<rule id>?<its labels>. */
export const alertDetailsPath = (ruleId: string, labels: Record<string, string>): string =>
  `/monitoring/alerts/${ruleId}?${Object.entries(labels)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')}`;

export type FiringPeerPodAlert = {
  name: PeerPodAlert;
  /** critical, warning, info or none (the `severity` label). */
  severity: string;
  summary: string | undefined;
  description: string | undefined;
  activeAt: string | undefined;
  labels: Record<string, string>;
  detailsPath: string;
};

const isPeerPodAlert = (name: string | undefined): name is PeerPodAlert =>
  PEER_POD_ALERTS.some((alert) => alert === name);

const SEVERITY_ORDER = ['critical', 'warning', 'info'];
const severityRank = (severity: string): number => {
  const index = SEVERITY_ORDER.indexOf(severity);
  return index === -1 ? SEVERITY_ORDER.length : index;
};

/** The firing alerts the chart's PrometheusRule defines: most severe first, then by name. */
export const firingPeerPodAlerts = (response: PrometheusRulesResponse | undefined): FiringPeerPodAlert[] => {
  const groups = response?.status === 'success' ? (response.data?.groups ?? []) : [];
  const firing = groups.flatMap((group) =>
    (group.rules ?? [])
      .filter((rule) => rule.type === 'alerting' && isPeerPodAlert(rule.name))
      .flatMap((rule) =>
        (rule.alerts ?? [])
          .filter((alert) => String(alert.state) === 'firing')
          .map((alert): FiringPeerPodAlert => {
            const labels = { ...rule.labels, ...alert.labels };
            return {
              name: rule.name as PeerPodAlert,
              severity: labels.severity ?? 'none',
              summary: alert.annotations?.summary ?? rule.annotations?.summary,
              description: alert.annotations?.description ?? rule.annotations?.description,
              activeAt: alert.activeAt,
              labels,
              detailsPath: alertDetailsPath(alertRuleId(group, rule), alert.labels),
            };
          }),
      ),
  );
  return firing.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.name.localeCompare(b.name));
};
