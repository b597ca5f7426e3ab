// The backend API's contract, written once: the backend validates with these schemas and the
// plugin types its client with the inferred types, so the two cannot drift. Only `zod` may be
// imported here — this file is bundled into the browser too.
import { z } from 'zod';

export const API_PREFIX = '/api/v1';

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

// ---- capacity ---------------------------------------------------------------------------

export const driftKind = z.enum([
  /** advertised capacity differs from the desired limit */
  'capacity-mismatch',
  /** the node matches a PeerPodConfig but advertises no peer-pod capacity */
  'not-advertised',
  /** the node matches no PeerPodConfig but still advertises capacity */
  'stale-advertisement',
  /** capacity advertised but allocatable differs from it */
  'allocatable-mismatch',
]);
export type DriftKind = z.infer<typeof driftKind>;

export const configRef = z.object({ namespace: z.string(), name: z.string() });
export type ConfigRef = z.infer<typeof configRef>;

export const nodeCapacity = z.object({
  name: z.string(),
  /** where the desired limit comes from */
  source: z.enum(['config', 'override', 'none']),
  config: configRef.nullable(),
  /** the per-node override annotation's raw value, when set */
  override: z.string().nullable(),
  overrideError: z.string().nullable(),
  desired: z.number().int().nonnegative().nullable(),
  advertised: z.number().int().nonnegative().nullable(),
  allocatable: z.number().int().nonnegative().nullable(),
  used: z.number().int().nonnegative(),
  free: z.number().int().nonnegative(),
  pendingHere: z.number().int().nonnegative(),
  vms: z.number().int().nonnegative(),
  managedByCaa: z.boolean(),
  drift: z.array(driftKind),
});
export type NodeCapacity = z.infer<typeof nodeCapacity>;

export const podRef = z.object({
  namespace: z.string(),
  name: z.string(),
  uid: z.string(),
  nodeName: z.string().nullable(),
  createdAt: z.string().nullable(),
  reason: z.string(),
});
export type PodRef = z.infer<typeof podRef>;

export const capacityTotals = z.object({
  nodes: z.number().int().nonnegative(),
  matchingNodes: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  allocatable: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  free: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  unaccounted: z.number().int().nonnegative(),
  vms: z.number().int().nonnegative(),
  orphans: z.number().int().nonnegative(),
  drift: z.number().int().nonnegative(),
});
export type CapacityTotals = z.infer<typeof capacityTotals>;

export const capacitySummary = z.object({
  revision: z.number().int().nonnegative(),
  generatedAt: z.string(),
  totals: capacityTotals,
  nodes: z.array(nodeCapacity),
  pendingPods: z.array(podRef),
  unaccountedPods: z.array(podRef),
});
export type CapacitySummary = z.infer<typeof capacitySummary>;

// ---- virtual machines --------------------------------------------------------------------

export const vmState = z.enum(['pending', 'running', 'stopping', 'stopped', 'deleting', 'deleted', 'unknown']);

export const peerPodVm = z.object({
  id: z.string(),
  name: z.string(),
  state: vmState,
  instanceType: z.string().nullable(),
  launchedAt: z.string().nullable(),
  pod: z.object({ namespace: z.string(), name: z.string() }).nullable(),
  nodeName: z.string().nullable(),
  peerPod: z.object({ namespace: z.string(), name: z.string() }).nullable(),
  orphan: z.boolean(),
  /** why the VM is (or is not yet) an orphan, for the UI */
  orphanReason: z.string().nullable(),
});
export type PeerPodVm = z.infer<typeof peerPodVm>;

export const vmInventory = z.object({
  provider: z.enum(['aws', 'azure']).nullable(),
  fetchedAt: z.string().nullable(),
  vms: z.array(peerPodVm),
  dangling: z.array(z.object({ namespace: z.string(), name: z.string(), instanceId: z.string() })),
  error: errorBody.shape.error.nullable(),
});
export type VmInventory = z.infer<typeof vmInventory>;

export const orphanCleanupRequest = z
  .object({
    vmIds: z.array(z.string().min(1).max(200)).min(1).max(500),
    dryRun: z.boolean(),
  })
  .strict();
export type OrphanCleanupRequest = z.infer<typeof orphanCleanupRequest>;

export const orphanCleanupResult = z.object({
  dryRun: z.boolean(),
  results: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      outcome: z.enum(['would-delete', 'deleted', 'refused', 'failed']),
      message: z.string(),
      deletedResources: z.array(z.string()),
    }),
  ),
});
export type OrphanCleanupResult = z.infer<typeof orphanCleanupResult>;

// ---- port rules --------------------------------------------------------------------------

export const portRuleState = z.enum(['present', 'missing', 'conflicting']);

export const portRule = z.object({
  id: z.string(),
  description: z.string(),
  protocol: z.enum(['tcp', 'udp']),
  port: z.number().int().min(1).max(65535),
  state: portRuleState,
  detail: z.string(),
  /** Azure: the rule name and priority that would be used */
  name: z.string().nullable(),
  priority: z.number().int().nullable(),
});
export type PortRule = z.infer<typeof portRule>;

export const portRulesReport = z.object({
  platform: z.enum(['aws', 'azure']),
  target: z.record(z.string(), z.string()),
  rules: z.array(portRule),
  commands: z.array(z.string()),
  notes: z.array(z.string()),
  canApply: z.boolean(),
});
export type PortRulesReport = z.infer<typeof portRulesReport>;

export const portRulesRequest = z
  .object({
    includeUdp: z.boolean().default(false),
  })
  .strict();
export type PortRulesRequest = z.infer<typeof portRulesRequest>;

export const portRulesApplyResult = z.object({
  results: z.array(
    z.object({ id: z.string(), outcome: z.enum(['created', 'already-present', 'failed']), message: z.string() }),
  ),
  verified: portRulesReport,
});
export type PortRulesApplyResult = z.infer<typeof portRulesApplyResult>;

// ---- live updates ------------------------------------------------------------------------

/** Server-Sent Events on GET /api/v1/events: `event: capacity` carries a CapacitySummary. */
export const LIVE_EVENT_CAPACITY = 'capacity';
