// The backend's answers for operating peer pods (GET /api/v1/stuck, /vms/:id/console-output,
// /history) and Prometheus's rules API, for component tests.
import type { HistoryEntry, StuckPeerPod, StuckPeerPods } from '../api/backend';

/** A peer pod Pending for lack of capacity for ten minutes, any node would do. */
export const stuckPeerPod = (name: string, fields: Partial<StuckPeerPod> = {}): StuckPeerPod => ({
  namespace: 'demo',
  name,
  stage: 'pending',
  nodeName: null,
  pinned: false,
  reason: 'capacity',
  message: '0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm.',
  eventReason: 'FailedScheduling',
  since: '2025-01-01T11:50:00.000Z',
  count: 1,
  fixes: ['raise-limit'],
  vmId: null,
  ...fields,
});

export const stuckPeerPods = (pods: StuckPeerPod[], fields: Partial<StuckPeerPods> = {}): StuckPeerPods => ({
  generatedAt: '2025-01-01T12:00:00.000Z',
  graceSeconds: 120,
  pods,
  podNames: 'shown',
  messages: 'shown',
  ...fields,
});

export const historyEntry = (fields: Partial<HistoryEntry> = {}): HistoryEntry => ({
  at: '2025-01-01T12:00:00.000Z',
  kind: 'limit',
  actor: 'alice',
  via: 'console',
  target: 'openshift-sandboxed-containers-operator/peerpodconfig-openshift',
  old: '10',
  new: '12',
  message: 'alice changed the peer pod VM limit from 10 to 12',
  ...fields,
});

type RuleAlert = {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  state: string;
  activeAt?: string;
};

/** An alerting rule of the chart's group, with its alerts. */
export const alertingRule = (name: string, alerts: RuleAlert[], severity = 'warning') => ({
  name,
  query: `${name}_expr > 0`,
  duration: 600,
  labels: { severity },
  annotations: { summary: `${name} summary`, description: `${name} description` },
  alerts: alerts.map((alert) => ({
    annotations: {},
    ...alert,
    labels: { alertname: name, severity, ...alert.labels },
  })),
  state: alerts.some((alert) => alert.state === 'firing') ? 'firing' : 'inactive',
  type: 'alerting',
});

/** GET /api/v1/rules as Prometheus (the Thanos querier) answers it. */
export const rulesResponse = (
  rules: ReturnType<typeof alertingRule>[],
  file = '/etc/prometheus/rules/peer-pods.yaml',
) => ({
  status: 'success',
  data: { groups: [{ name: 'peer-pods', file, rules, interval: 30 }] },
});
