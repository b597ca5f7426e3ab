import type { PrometheusRulesResponse } from '@openshift-console/dynamic-plugin-sdk';

import { alertingRule, rulesResponse } from '../test/operationsFixtures';
import { alertDetailsPath, alertRuleId, firingPeerPodAlerts, murmur3 } from './alertRules';

const asRules = (value: unknown) => value as PrometheusRulesResponse;

describe('murmur3', () => {
  it.each([
    ['', 0],
    ['a', 1009084850],
    ['abc', 3017643002],
    ['hello', 613153351],
    ['The quick brown fox jumps over the lazy dog', 776992547],
  ])('hashes %j as MurmurHash3 x86 32-bit with seed 0: %d', (text, hash) => {
    expect(murmur3(text)).toBe(hash);
  });
});

describe('alertRuleId', () => {
  it("is the console's id: the hash of file, group, name, duration, query and each label as value=name", () => {
    const rule = alertingRule('PeerPodNodesFull', []);
    const key =
      '/etc/prometheus/rules/x.yaml,peer-pods,PeerPodNodesFull,600,PeerPodNodesFull_expr > 0,warning=severity';

    expect(
      alertRuleId(
        { file: '/etc/prometheus/rules/x.yaml', name: 'peer-pods' },
        asRules(rulesResponse([rule])).data.groups[0]!.rules[0]!,
      ),
    ).toBe(String(murmur3(key)));
  });
});

describe('alertDetailsPath', () => {
  it("is the console's alert details page with the alert's labels in the query", () => {
    expect(alertDetailsPath('123', { alertname: 'PeerPodsStuck', node: 'worker a' })).toBe(
      '/monitoring/alerts/123?alertname=PeerPodsStuck&node=worker%20a',
    );
  });
});

describe('firingPeerPodAlerts', () => {
  it('keeps only firing alerts of the peer pod rules, most severe first', () => {
    const response = rulesResponse([
      alertingRule('PeerPodOrphanVms', [{ labels: {}, state: 'firing', activeAt: '2025-01-01T11:00:00Z' }], 'warning'),
      alertingRule('PeerPodWebhookDown', [{ labels: {}, state: 'firing' }], 'critical'),
      alertingRule('PeerPodsStuck', [{ labels: {}, state: 'pending' }]),
      alertingRule('KubeNodeNotReady', [{ labels: {}, state: 'firing' }], 'critical'),
    ]);

    const alerts = firingPeerPodAlerts(asRules(response));

    expect(alerts.map((alert) => [alert.name, alert.severity])).toEqual([
      ['PeerPodWebhookDown', 'critical'],
      ['PeerPodOrphanVms', 'warning'],
    ]);
    expect(alerts[1]).toMatchObject({
      summary: 'PeerPodOrphanVms summary',
      description: 'PeerPodOrphanVms description',
      activeAt: '2025-01-01T11:00:00Z',
    });
  });

  it("links each alert to its details page by its rule's id and its own labels", () => {
    const response = rulesResponse([
      alertingRule('PeerPodNodesFull', [{ labels: { node: 'worker-a' }, state: 'firing' }]),
    ]);
    const group = response.data.groups[0]!;

    const [alert] = firingPeerPodAlerts(asRules(response));

    expect(alert!.detailsPath).toBe(
      `/monitoring/alerts/${alertRuleId(group, asRules(response).data.groups[0]!.rules[0]!)}?alertname=PeerPodNodesFull&severity=warning&node=worker-a`,
    );
  });

  it("prefers the alert's own summary to the rule's", () => {
    const response = rulesResponse([
      alertingRule('PeerPodNodesFull', [
        { labels: {}, state: 'firing', annotations: { summary: 'Node worker-a is full' } },
      ]),
    ]);

    expect(firingPeerPodAlerts(asRules(response))[0]!.summary).toBe('Node worker-a is full');
  });

  it('finds none in an answer that is not a success, or in no answer', () => {
    expect(firingPeerPodAlerts(asRules({ status: 'error', data: { groups: [] } }))).toEqual([]);
    expect(firingPeerPodAlerts(undefined)).toEqual([]);
  });
});
