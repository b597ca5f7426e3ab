// The backend API's contract, written once: the backend validates with these schemas and the
// plugin types its client with the inferred types, so the two cannot drift. Only `zod` (and the
// import-free modules beside this one) may be imported here. The plugin imports only types from
// this module (ESLint holds it to that): its schemas would bring zod into the browser bundle.
import { z } from 'zod';
import { HISTORY_KINDS, STUCK_FIXES, STUCK_REASONS, STUCK_STAGES } from './operations.ts';
import { SETUP_ACTIONS, SETUP_CHECK_IDS } from './setup-checks.ts';

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    requestId: z.string().optional(),
  }),
  /** Same as error.message, where the console's consoleFetchJSON looks for it. */
  message: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** A Kubernetes object name (DNS subdomain), as in a path parameter. */
export const objectName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name (lowercase letters, digits, "-", ".")');

// ---- capacity ---------------------------------------------------------------------------
// The capacity model (backend/src/capacity/model.ts) builds its snapshot as these very types.

export const configRef = z.object({ namespace: z.string(), name: z.string() });
export type ConfigRef = z.infer<typeof configRef>;

/**
 * How what a node advertises departs from its limit. not-advertised: should advertise, carries
 * nothing; differs: carries a different value (or one that is not a whole number); unexpected:
 * must not carry the resource, but does.
 */
export const drift = z.enum(['not-advertised', 'differs', 'unexpected']);
export type Drift = z.infer<typeof drift>;

const count = z.number().int().nonnegative();

/**
 * Pod namespaces and names are for readers who may `list pods` cluster-wide ('shown'). For the
 * others ('hidden') every one of them is null, and so is what embeds them (a VM's name
 * `podvm-<pod>-…`, and its id on Azure); counts and everything else stay.
 */
export const podNames = z.enum(['shown', 'hidden']);
export type PodNames = z.infer<typeof podNames>;
/** A pod's namespace or name, or what embeds one: null when pod names are hidden. */
const podIdentity = z.string().nullable();

/** A cloud VM as the inventory reports it per node. */
export const nodeVm = z.object({
  id: podIdentity,
  name: podIdentity,
  state: z.string().optional(),
  instanceType: z.string().optional(),
  /** The VM's pod (absent: an orphan). */
  pod: z.object({ namespace: podIdentity, name: podIdentity }).optional(),
});
export type NodeVm = z.infer<typeof nodeVm>;

export const nodeCapacity = z.object({
  name: z.string(),
  /** Where the limit comes from. */
  source: z.enum(['override', 'config', 'none']),
  /** The PeerPodConfig that applies (the winner when several select the node). */
  config: configRef.nullable(),
  matchedConfigs: z.array(configRef),
  /** The override annotation's value when it is valid. */
  override: count.nullable(),
  /** advertise: should carry `desired`; absent: must carry nothing; undetermined: config limit invalid. */
  desiredState: z.enum(['advertise', 'absent', 'undetermined']),
  desired: count.nullable(),
  /** status.capacity of the resource; null when not advertised. */
  advertised: count.nullable(),
  /** status.allocatable of the resource; null when absent. */
  allocatable: count.nullable(),
  /** VMs requested by the non-terminal peer pods bound to the node. */
  used: count,
  free: count,
  /** More in use than allocatable (after the limit was lowered below use; nothing is evicted). */
  overcommitted: z.boolean(),
  pods: count,
  /** Bound peer pods still in phase Pending (their VM is being created). */
  pendingHere: count,
  /**
   * Unscheduled peer pods pinned to this node (spec.nodeName, a nodeSelector or required node
   * affinity that only this node satisfies) waiting for a free VM here: only this node's limit or
   * override lets them run.
   */
  pendingPinned: count,
  drift: drift.nullable(),
  /** cloud-api-adaptor owns the advertisement (its pod uid); the backend never writes the node. */
  caaOwner: z.string().nullable(),
  problems: z.array(z.string()),
  vms: z.array(nodeVm),
  /**
   * Field managers besides the reconciler that own the node's capacity of the resource now, or
   * changed it away from its limit since the backend started; sorted. Empty on CAA-owned nodes.
   */
  otherWriters: z.array(z.string()),
  /** Times another writer changed the node's advertised value away from its limit, since the backend started. */
  flaps: count,
  lastFlap: z.object({ at: z.string(), writer: z.string() }).nullable(),
});
export type NodeCapacity = z.infer<typeof nodeCapacity>;

export const capacityTotals = z.object({
  nodes: count,
  /** Nodes that should advertise (a config or override applies). */
  matchingNodes: count,
  /** Nodes that carry the resource in status.capacity. */
  advertisedNodes: count,
  capacity: count,
  allocatable: count,
  desired: count,
  used: count,
  free: count,
  driftNodes: count,
  caaOwnedNodes: count,
  /** Nodes with another writer of the resource (NodeCapacity.otherWriters not empty). */
  otherWriterNodes: count,
  /** Every node's otherWriters, sorted, without repeats. */
  otherWriters: z.array(z.string()),
  /** Flaps on all nodes since the backend started. */
  flaps: count,
  pendingForCapacity: count,
  unaccounted: count,
  peerPods: count,
  vms: count,
});
export type CapacityTotals = z.infer<typeof capacityTotals>;

export const pendingPeerPod = z.object({
  namespace: podIdentity,
  name: podIdentity,
  /** When the scheduler first found no node with the resource free. */
  since: z.string().nullable(),
  message: z.string(),
  /** The one node the pod is pinned to (see NodeCapacity.pendingPinned); null when any node would do. */
  pinnedNode: z.string().nullable(),
});
export type PendingPeerPod = z.infer<typeof pendingPeerPod>;

export const unaccountedPeerPod = z.object({
  namespace: podIdentity,
  name: podIdentity,
  nodeName: z.string().nullable(),
  phase: z.string(),
  reason: z.string(),
});
export type UnaccountedPeerPod = z.infer<typeof unaccountedPeerPod>;

export const configCapacity = z.object({
  namespace: z.string(),
  name: z.string(),
  limit: z.string().nullable(),
  validLimit: count.nullable(),
  problem: z.string().nullable(),
  nodeSelector: z.record(z.string(), z.string()),
  /** Nodes whose limit this config decides. */
  nodes: count,
});
export type ConfigCapacity = z.infer<typeof configCapacity>;

export const capacitySnapshot = z.object({
  revision: count,
  extendedResource: z.string(),
  targetRuntimeClass: z.string(),
  totals: capacityTotals,
  nodes: z.array(nodeCapacity),
  configs: z.array(configCapacity),
  pending: z.array(pendingPeerPod),
  unaccounted: z.array(unaccountedPeerPod),
});
export type CapacitySnapshot = z.infer<typeof capacitySnapshot>;

/** GET /api/v1/capacity: the model's snapshot plus what the cloud inventory knows. */
export const capacitySummary = capacitySnapshot.extend({
  generatedAt: z.string(),
  /** Orphaned VMs in the last inventory; null when no inventory has been taken. */
  orphans: count.nullable(),
  podNames,
});
export type CapacitySummary = z.infer<typeof capacitySummary>;

/**
 * One change to an ordered list: at index `at` of the list as the changes before it left it,
 * remove `remove` items and insert `insert` there. A changed item is removed and inserted again.
 * Positions, not keys: a list without pod names has no key, and is changed at the same positions.
 */
const listChange = <T extends z.ZodType>(item: T) => z.object({ at: count, remove: count, insert: z.array(item) });

/**
 * `event: capacity-delta` on GET /api/v1/events: what changed between the summary of revision
 * `from` and that of revision `to` (capacity-delta.ts applies it). A list or value that did not
 * change is absent; generatedAt, orphans and podNames always come. A client whose summary is not
 * at revision `from` (or not of the same podNames) has missed something: it asks for a snapshot
 * by opening the stream again.
 */
export const capacityDelta = z.object({
  from: count,
  to: count,
  generatedAt: z.string(),
  orphans: count.nullable(),
  podNames,
  extendedResource: z.string().optional(),
  targetRuntimeClass: z.string().optional(),
  totals: capacityTotals.optional(),
  nodes: z.array(listChange(nodeCapacity)).optional(),
  configs: z.array(listChange(configCapacity)).optional(),
  pending: z.array(listChange(pendingPeerPod)).optional(),
  unaccounted: z.array(listChange(unaccountedPeerPod)).optional(),
});
export type CapacityDelta = z.infer<typeof capacityDelta>;
/** One change to one of the summary's lists (see listChange). */
export type CapacityListChange<T> = { at: number; remove: number; insert: T[] };

/** GET /api/v1/capacity/nodes/:name: one node's row and the unaccounted peer pods on it. */
export const nodeCapacityDetail = z.object({
  revision: count,
  node: nodeCapacity,
  unaccounted: z.array(unaccountedPeerPod),
  podNames,
});
export type NodeCapacityDetail = z.infer<typeof nodeCapacityDetail>;

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
  /** AWS availability zone; Azure zone, else the region. */
  zone: z.string().nullable(),
  /** AWS AMI id; Azure image (gallery image version / image resource id, or publisher:offer:sku:version). */
  image: z.string().nullable(),
  /** vCPUs and memory of the instance type, from the cloud's size list; null until that was read. */
  vcpus: count.nullable(),
  memoryMiB: count.nullable(),
});
export type PeerPodVm = z.infer<typeof peerPodVm>;

export const vmInventory = z.object({
  provider: z.enum(['aws', 'azure']).nullable(),
  fetchedAt: z.string().nullable(),
  vms: z.array(peerPodVm),
  dangling: z.array(z.object({ namespace: z.string(), name: z.string(), instanceId: z.string() })),
  /**
   * What "this cluster's VMs" meant (tags, subnet / VPC or resource group), and how many peer-pod
   * VMs of the account the listing saw outside it: counted only, never listed. Null before the
   * first inventory.
   */
  scope: z.object({ description: z.string(), excluded: count }).nullable(),
  error: errorBody.shape.error.nullable(),
});
export type VmInventory = z.infer<typeof vmInventory>;

export const orphanCleanupRequest = z
  .object({
    vmIds: z.array(z.string().min(1).max(200)).min(1).max(500),
    dryRun: z.boolean(),
    /** The real cleanup: the confirmation its dry run returned (it names the VMs it may delete). */
    confirmation: z.string().max(100_000).optional(),
  })
  .strict();
export type OrphanCleanupRequest = z.infer<typeof orphanCleanupRequest>;

/**
 * A cloud resource that deleting a peer-pod VM removes: the VM itself, and what goes with it (its
 * network interface, its disks). The kinds are the words the plugin translates; each cloud module
 * of the backend says which of its resources are which.
 */
export const cloudResource = z.object({
  kind: z.enum(['ec2-instance', 'virtual-machine', 'network-interface', 'disk']),
  /** The cloud's id (EC2 instance, EBS volume) or name (Azure VM, NIC, disk) of the resource. */
  name: z.string(),
});
export type CloudResource = z.infer<typeof cloudResource>;

export const orphanCleanupResult = z.object({
  dryRun: z.boolean(),
  /** Dry run: what the real cleanup must send to delete the VMs it would delete, for 5 minutes. */
  confirmation: z.string().nullable().optional(),
  results: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      outcome: z.enum(['would-delete', 'deleted', 'refused', 'failed']),
      message: z.string(),
      /** Cloud ids of what the real cleanup deleted. */
      deletedResources: z.array(z.string()),
      /** Dry run: what deleting the VM would remove; real cleanup: what it removed. Empty otherwise. */
      resources: z.array(cloudResource),
    }),
  ),
});
export type OrphanCleanupResult = z.infer<typeof orphanCleanupResult>;

// ---- port rules --------------------------------------------------------------------------

export const portRuleState = z.enum(['present', 'missing', 'conflicting']);

export const portRule = z.object({
  /** `<rule key>/<target>`; on AWS `<rule key>/<target group>/<source group>` when the source is another group. */
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
  /** The look-ups that found `target` (instance, region, groups / NSG, subnet), with the values found. */
  discoveryCommands: z.array(z.string()).optional(),
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

// ---- operating: stuck peer pods, console output, history -----------------------------------

/** A peer pod that is Pending, or not Running, for longer than the grace period. */
export const stuckPeerPod = z.object({
  namespace: podIdentity,
  name: podIdentity,
  stage: z.enum(STUCK_STAGES),
  /** sandbox: the node it is bound to; pending: the node it is pinned to (else null). */
  nodeName: z.string().nullable(),
  /** Pinned to nodeName by spec.nodeName, a nodeSelector or required node affinity naming one node. */
  pinned: z.boolean(),
  reason: z.enum(STUCK_REASONS),
  /** Verbatim: the scheduler's message or the latest telling Event's. Null when the reader may not list events. */
  message: z.string().nullable(),
  /** The Event's reason, e.g. FailedScheduling, FailedCreatePodSandBox; null when none was found. */
  eventReason: z.string().nullable(),
  /** Since when (pod creation, or the first telling Event). */
  since: z.string().nullable(),
  /** How many times the telling Event happened. */
  count: count,
  fixes: z.array(z.enum(STUCK_FIXES)),
  /** The pod's VM when the last inventory has one (its console output can be read); null otherwise or when pod names are hidden. */
  vmId: z.string().nullable(),
});
export type StuckPeerPod = z.infer<typeof stuckPeerPod>;

/** GET /api/v1/stuck (optionally ?node=<name>): the stuck peer pods, oldest first. */
export const stuckPeerPods = z.object({
  generatedAt: z.string(),
  graceSeconds: count,
  pods: z.array(stuckPeerPod),
  podNames,
  /** Whether messages are shown: the reader may `list events` cluster-wide. */
  messages: z.enum(['shown', 'hidden']),
});
export type StuckPeerPods = z.infer<typeof stuckPeerPods>;

/** GET /api/v1/vms/:id/console-output: the VM's serial console (AWS GetConsoleOutput, Azure boot diagnostics). */
export const vmConsoleOutput = z.object({
  vmId: z.string(),
  /** The text, newest part last; empty when the cloud has none yet. */
  output: z.string(),
  /** When the cloud captured it, if it says. */
  capturedAt: z.string().nullable(),
  /** The cloud's text was longer than the backend returns (the tail is kept). */
  truncated: z.boolean(),
  /** Why there is no output (e.g. boot diagnostics disabled on the VM); null when there is. */
  unavailable: z.string().nullable(),
});
export type VmConsoleOutput = z.infer<typeof vmConsoleOutput>;

/** PUT /api/v1/configs/:namespace/:name/limit — written with the signed-in user's own token. */
export const limitChangeRequest = z
  .object({
    limit: count,
    /** Also write PEERPODS_LIMIT_PER_NODE in the PeerPodConfig's ConfigMap (peer-pods-cm), so the adaptor's own limit agrees. */
    syncConfigMap: z.boolean().optional(),
  })
  .strict();
export type LimitChangeRequest = z.infer<typeof limitChangeRequest>;

/** PUT /api/v1/nodes/:name/override — null removes the override; written with the user's own token. */
export const overrideChangeRequest = z.object({ override: count.nullable() }).strict();
export type OverrideChangeRequest = z.infer<typeof overrideChangeRequest>;

/** The answer of both writes: the value before and after (null: none). */
export const limitChangeResult = z.object({
  target: z.string(),
  old: z.string().nullable(),
  new: z.string().nullable(),
  /** The Event that records the change (absent when the value did not change). */
  event: z.object({ namespace: z.string(), name: z.string() }).nullable(),
  /** With syncConfigMap: PEERPODS_LIMIT_PER_NODE in the ConfigMap before and after (null: unset). */
  configMap: z
    .object({ namespace: z.string(), name: z.string(), old: z.string().nullable(), new: z.string() })
    .nullable()
    .optional(),
});
export type LimitChangeResult = z.infer<typeof limitChangeResult>;

export const historyEntry = z.object({
  at: z.string(),
  kind: z.enum(HISTORY_KINDS),
  /** The signed-in user (console), or the field manager that wrote the object (outside). */
  actor: z.string(),
  via: z.enum(['console', 'outside']),
  /** What changed: "<namespace>/<name>" of a PeerPodConfig, a node's name, a security group or NSG, VM ids. */
  target: z.string(),
  old: z.string().nullable(),
  new: z.string().nullable(),
  /** The Event's message, as `oc get events` shows it. */
  message: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

/** GET /api/v1/history: recent changes, newest first. */
export const history = z.object({ entries: z.array(historyEntry) });
export type History = z.infer<typeof history>;

// ---- room: sizes and quotas ------------------------------------------------------------
// GET /api/v1/capacity/room. The rules (size selection, the promise) live in sizing.ts.

/** One VM size as the cloud describes it (DescribeInstanceTypes; Azure resource SKUs). */
export const vmSize = z.object({
  name: z.string(),
  vcpus: count,
  memoryMiB: count,
  gpus: count,
  /** The quota it counts against: AWS quota code (L-1216C47A…); Azure usage name (standardDSv5Family). Null: none known. */
  quota: z.string().nullable(),
});
export type VmSize = z.infer<typeof vmSize>;

/**
 * One vCPU quota that the default size counts against. known: limit and use were read;
 * not-permitted: the backend's cloud credentials may not read it (`permission` names the IAM
 * action / Azure permission to grant); unknown: it could not be read or told (`detail` says why).
 */
export const vcpuQuota = z.object({
  /** AWS quota code, or Azure usage name (`cores` is the region's total). */
  code: z.string(),
  /** The name the cloud's console shows, e.g. "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances". */
  name: z.string(),
  state: z.enum(['known', 'not-permitted', 'unknown']),
  /** vCPUs */
  limit: count.nullable(),
  used: count.nullable(),
  free: count.nullable(),
  permission: z.string().nullable(),
  detail: z.string().nullable(),
});
export type VcpuQuota = z.infer<typeof vcpuQuota>;

export const capacityRoom = z.object({
  provider: z.enum(['aws', 'azure']).nullable(),
  /** AWS region, or Azure location. */
  region: z.string().nullable(),
  /** When the sizes and quotas were read from the cloud (the backend caches them). */
  fetchedAt: z.string().nullable(),
  /** What a peer pod without sizing annotations gets, and where that comes from. */
  defaultSize: z.string().nullable(),
  defaultSizeSource: z.enum(['config-map', 'adaptor-default']).nullable(),
  /** The allowed list as written in peer-pods-cm (empty: only the default size). */
  allowedSizes: z.array(z.string()),
  /** What the cloud says of the default size and every allowed one (a size it does not know is left out). */
  sizes: z.array(vmSize),
  /** The quotas the default size counts against; the tightest one decides. */
  quotas: z.array(vcpuQuota),
  /** Sum of every advertising node's limit, and VMs peer pods hold now (capacity totals). */
  promisedVms: count,
  usedVms: count,
  /** vCPUs of the default size; null when the cloud did not describe it. */
  vcpusPerVm: count.nullable(),
  /** Free vCPUs of the tightest known quota; null when none is known. */
  freeVcpus: count.nullable(),
  /** See sizing.ts roomVerdict. */
  promisedVcpus: count.nullable(),
  stillPromisedVms: count,
  moreVms: count.nullable(),
  exceeds: z.boolean().nullable(),
  /**
   * The adaptor's own per-node limit, PEERPODS_LIMIT_PER_NODE in the PeerPodConfig's ConfigMap
   * (value null: unset, the adaptor uses 10); null when the ConfigMap could not be read.
   */
  adaptorLimit: z
    .object({ namespace: z.string(), name: z.string(), text: z.string().nullable(), value: count.nullable() })
    .nullable(),
  /** The sizes or quotas could not be read at all (settings missing, cloud unreachable). */
  error: errorBody.shape.error.nullable(),
});
export type CapacityRoom = z.infer<typeof capacityRoom>;

// ---- permissions -------------------------------------------------------------------------

/** GET /api/v1/permissions: what the signed-in user may do through the backend. */
export const permissions = z.object({
  user: z.string(),
  /** `list nodes`: needed to read capacity, VMs and port rules */
  canRead: z.boolean(),
  /** `patch peerpodconfigs` in the operator namespace: needed to change anything in the cloud */
  canChangeCloud: z.boolean(),
  /** `list nodes` and `get` the cloud credentials Secret: needed to read cloud data (port rules, a VM's console) */
  canReadCloud: z.boolean(),
  /** `list pods` cluster-wide: without it capacity data carries no pod namespace or name */
  canListPods: z.boolean(),
});
export type Permissions = z.infer<typeof permissions>;

// ---- setup checklist -------------------------------------------------------------------
// GET /api/v1/setup. The ids, actions and sentence keys live in setup-checks.ts (no zod there),
// which the plugin also imports at run time to translate what a check found.

export const setupCheckStatus = z.enum(['pass', 'warning', 'fail']);
export type SetupCheckStatus = z.infer<typeof setupCheckStatus>;

/** What a check found: a sentence key of SETUP_TEXT with its values, and its English rendering. */
export const setupFinding = z.object({
  key: z.string(),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
});
export type SetupFinding = z.infer<typeof setupFinding>;

/** The fix: a button the UI maps (action), or the exact command to run (command). */
export const setupFix = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('action'), action: z.enum(SETUP_ACTIONS) }),
  z.object({ kind: z.literal('command'), command: z.string() }),
]);
export type SetupFix = z.infer<typeof setupFix>;

export const setupCheck = z.object({
  id: z.enum(SETUP_CHECK_IDS),
  status: setupCheckStatus,
  found: setupFinding,
  fix: setupFix.nullable(),
  durationMs: count,
});
export type SetupCheck = z.infer<typeof setupCheck>;

export const setupReport = z.object({
  generatedAt: z.string(),
  durationMs: count,
  /** The RuntimeClass of peer pods (the namespace policy guards this one). */
  targetRuntimeClass: z.string(),
  checks: z.array(setupCheck),
  /** Namespaces with running (non-terminal) peer pods, for the policy's "would not be allowed" warning. */
  peerPodNamespaces: z.array(z.object({ namespace: z.string(), pods: count })),
});
export type SetupReport = z.infer<typeof setupReport>;
