// Why a peer pod is stuck, read from what the scheduler and the cloud-api-adaptor actually write,
// and which fixes apply. Pure; the table test (stuck-classifier.test.ts) holds real message texts.
//
// Where the texts come from:
// - pending: the scheduler's PodScheduled=False message and FailedScheduling Event, "0/N nodes are
//   available: 1 Insufficient kata.peerpods.io/vm, 2 node(s) didn't match Pod's node
//   affinity/selector." (kubernetes pkg/scheduler/framework/types.go FitError, plugins
//   noderesources/fit.go "Insufficient <resource>"); a pod bound by spec.nodeName that the kubelet
//   refuses says "Node didn't have enough resource: <resource>, …" (pkg/kubelet/lifecycle/predicate.go).
// - sandbox: the kubelet's FailedCreatePodSandBox Event "Failed to create pod sandbox: rpc error:
//   … desc = …", wrapping the Kata shim's "remote hypervisor call failed: …"
//   (kata-containers virtcontainers/remote.go), wrapping the adaptor's "creating an instance : …"
//   (cloud-api-adaptor pkg/adaptor/cloud/cloud.go StartVM) around the cloud's own error: AWS SDK v2
//   "operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: …, api error
//   <Code>: <message>" (cloud-providers/aws/provider.go "creating instance …"), Azure SDK
//   "ERROR CODE: <Code>" with the ARM error JSON (cloud-providers/azure/provider.go "Creating instance
//   …"); or the agent proxy's "error connecting to agent: failed to establish agent proxy connection
//   to <ip>:15150: dial tcp <ip>:15150: …" (pkg/adaptor/proxy/proxy.go).
import type { StuckFix, StuckReason, StuckStage } from '@peer-pods-console/contract/operations';

/** The kata-agent's port on the pod VM (agent protocol forwarder). */
const AGENT_PORT = 15150;

type Rule = [StuckReason, RegExp];

/**
 * Cloud error codes and the adaptor's own words, most specific first: credentials before quota (a
 * rejected token hides every other verdict), quota before the words "capacity" or "not allowed".
 */
const SANDBOX_RULES: Rule[] = [
  [
    'credentials',
    /\b(AuthFailure|UnauthorizedOperation|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|AuthorizationFailed|LinkedAuthorizationFailed|InvalidAuthenticationToken|ExpiredAuthenticationToken|AuthenticationFailed|invalid_client|AADSTS\d+)\b|not authorized to perform|does not have authorization to perform/,
  ],
  [
    'quota',
    /\b(VcpuLimitExceeded|InstanceLimitExceeded|MaxSpotInstanceCountExceeded|VolumeLimitExceeded|QuotaExceeded)\b|exceeding approved [\w\s-]*quota|requested more vCPU capacity than your current vCPU limit/i,
  ],
  [
    'cloud-capacity',
    /\b(InsufficientInstanceCapacity|InsufficientCapacity|InsufficientHostCapacity|ZonalAllocationFailed|AllocationFailed|OverconstrainedAllocationRequest|OverconstrainedZonalAllocationRequest)\b|do not have sufficient [\w.-]+ capacity/,
  ],
  [
    'image',
    /\b(InvalidAMIID\.\w+|ImageNotFound|PlatformImageNotFound|GalleryImageNotFound|InvalidImageReference)\b|image id '[^']*' does not exist|ImageId is (empty|not found)/,
  ],
  [
    'instance-type',
    /\b(SkuNotAvailable|InvalidInstanceType|api error Unsupported)\b|Invalid value '[^']*' for InstanceType|instance type[^.:]* (not found|is not supported|not part of)|provided for the VM size is not valid|requested size for resource .* is currently not available/i,
  ],
  [
    'network',
    new RegExp(
      `:${AGENT_PORT}\\b[\\s\\S]*?\\b(i/o timeout|connection refused|no route to host|connection reset|context deadline exceeded)|failed to establish agent proxy connection|error connecting to agent`,
    ),
  ],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The scheduler's (or the kubelet's admission) message: capacity when the extended resource is
 * among what no node could give, scheduling for anything else it says.
 */
export function classifySchedulerMessage(message: string, extendedResource: string): StuckReason {
  if (!message.trim()) return 'other';
  const resource = escapeRegExp(extendedResource);
  if (new RegExp(`Insufficient ${resource}\\b|enough resource: ${resource}\\b`).test(message)) return 'capacity';
  return 'scheduling';
}

/** A sandbox Event's message (FailedCreatePodSandBox and the like): the cloud's or the adaptor's reason. */
export function classifySandboxMessage(message: string): StuckReason {
  for (const [reason, pattern] of SANDBOX_RULES) if (pattern.test(message)) return reason;
  return 'other';
}

/** The reason of a stuck pod from its stage and the telling message (an Event's, or the PodScheduled condition's). */
export function classifyStuck(input: {
  stage: StuckStage;
  /** The Event reason, e.g. FailedScheduling or FailedCreatePodSandBox; undefined for the pod's condition. */
  eventReason?: string;
  message: string;
  extendedResource: string;
}): StuckReason {
  const { stage, eventReason, message, extendedResource } = input;
  if (stage === 'pending' || eventReason === 'FailedScheduling' || /^OutOf/.test(eventReason ?? ''))
    return classifySchedulerMessage(message, extendedResource);
  return classifySandboxMessage(message);
}

/** Where the limit of the node a pod is pinned to comes from (NodeCapacity.source). */
export type LimitSource = 'override' | 'config' | 'none';

/**
 * The fixes that would let this pod run. For capacity: a pod pinned to one node waits for that
 * node alone, so its override is the fix, and the PeerPodConfig's limit too only when that node
 * takes its limit from there (an override outranks it); a pod any node would do waits for the
 * cluster's limit.
 */
export function stuckFixes(reason: StuckReason, pin: { pinnedNode: string | null; source?: LimitSource }): StuckFix[] {
  switch (reason) {
    case 'capacity':
      if (pin.pinnedNode === null) return ['raise-limit'];
      return pin.source === 'config' ? ['raise-override', 'raise-limit'] : ['raise-override'];
    case 'scheduling':
      return ['check-scheduling'];
    case 'quota':
    case 'cloud-capacity':
      return ['check-quota'];
    case 'instance-type':
    case 'image':
      return ['check-config'];
    case 'network':
      return ['open-ports'];
    case 'credentials':
      return ['check-credentials'];
    default:
      return [];
  }
}
