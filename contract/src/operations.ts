// The vocabulary of day-to-day operation (step 14), shared by the backend and the plugin:
// why a peer pod is stuck and what fixes it, what the History panel lists, and the alerts the chart
// ships. Browser-safe on purpose: no imports, so the plugin takes these values at run time.

/** Where a peer pod is stuck: not scheduled yet, or scheduled with a sandbox (its VM) that does not come up. */
export const STUCK_STAGES = ['pending', 'sandbox'] as const;
export type StuckStage = (typeof STUCK_STAGES)[number];

/**
 * Why, classified from the scheduler's message (pending) or the pod's Events (sandbox):
 * - capacity: no node (or not the node the pod is pinned to) has a free VM of the extended resource;
 * - scheduling: anything else the scheduler says (taints, selectors, other resources);
 * - quota: the cloud account's quota (vCPUs, instances, cores) is used up;
 * - cloud-capacity: the cloud has no capacity for the instance size in that zone or region;
 * - instance-type: the instance type or VM size is not allowed, not offered or not valid;
 * - image: the pod VM image is not found or not usable;
 * - network: the node cannot reach the VM's agent (port 15150), usually closed ports;
 * - credentials: the cloud refused the credentials or their permissions;
 * - other: a message none of these match, kept verbatim.
 */
export const STUCK_REASONS = [
  'capacity',
  'scheduling',
  'quota',
  'cloud-capacity',
  'instance-type',
  'image',
  'network',
  'credentials',
  'other',
] as const;
export type StuckReason = (typeof STUCK_REASONS)[number];

/**
 * What the admin can do about it. raise-limit / raise-override are offered only when they would
 * let *this* pod run (override: the pod is pinned to one node; limit: that node's limit comes from
 * the PeerPodConfig); open-ports opens the port wizard; check-quota the account quota; check-config
 * the pod VM image and instance type in peer-pods-cm; check-credentials peer-pods-secret;
 * check-scheduling the pod's own constraints.
 */
export const STUCK_FIXES = [
  'raise-limit',
  'raise-override',
  'open-ports',
  'check-quota',
  'check-config',
  'check-credentials',
  'check-scheduling',
] as const;
export type StuckFix = (typeof STUCK_FIXES)[number];

/** A peer pod counts as stuck once it has not been running for this long (the default of the backend's setting). */
export const DEFAULT_STUCK_GRACE_SECONDS = 120;

/** What the History panel lists. */
export const HISTORY_KINDS = ['limit', 'override', 'port-rules', 'cleanup'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * Reasons of the Events the backend records for a change. Limit and override changes made through
 * the console name the user; those seen on the objects without the console name their field manager.
 * Port rules and cleanups are the cloud service's Events of a change made (their failures and
 * refusals, PortRuleChangeFailed, PeerPodVmDeleteRefused and PeerPodVmDeleteFailed, change nothing).
 */
export const HISTORY_EVENT_REASONS = {
  limit: 'PeerPodLimitChanged',
  override: 'PeerPodOverrideChanged',
  'port-rules': 'PortRuleChanged',
  cleanup: 'PeerPodVmDeleted',
} as const satisfies Record<HistoryKind, string>;

/** The field manager of the backend's writes made as the signed-in user. */
export const CONSOLE_FIELD_MANAGER = 'peer-pods-console';

/** The alerts the chart's PrometheusRule defines (label `alertname`); the plugin shows those firing. */
export const PEER_POD_ALERTS = [
  'PeerPodsPendingForCapacity',
  'PeerPodNodesFull',
  'PeerPodsStuck',
  'PeerPodOrphanVms',
  'PeerPodWebhookFailing',
  'PeerPodWebhookDown',
  'PeerPodCapacityNotAdvertised',
] as const;
export type PeerPodAlert = (typeof PEER_POD_ALERTS)[number];
