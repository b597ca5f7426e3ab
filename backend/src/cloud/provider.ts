// The one interface the rest of the backend uses to talk to a cloud. Each cloud implements it
// in its own folder (aws/, azure/); nothing outside backend/src/cloud names a cloud SDK.
// Everything returned here is plain JSON-safe data, so the REST API can pass it on as it is.
import type { ConsoleOutput } from './console-output.ts';
import type { CloudErrorCode, CloudProviderName } from './errors.ts';
import type { ClusterIdentity } from './inventory.ts';

export * from './errors.ts';
export type { ConsoleOutput } from './console-output.ts';

/** A VM's life-cycle state, the same words for every cloud. */
export type VmState =
  'pending' | 'running' | 'stopping' | 'stopped' | 'terminating' | 'terminated' | 'failed' | 'unknown';

export interface PeerPodVm {
  provider: CloudProviderName;
  /**
   * What the cloud-api-adaptor writes to PeerPod `spec.instanceID`: the EC2 instance id (`i-…`),
   * or on Azure the VM's full resource id.
   */
  id: string;
  /** `podvm-<sanitized pod name>-<first 8 chars of the sandbox id>` */
  name: string;
  state: VmState;
  /** The cloud's own word: EC2 instance-state-name, or the Azure provisioning state. */
  cloudState: string;
  /** EC2 instance type, or Azure VM size. */
  instanceType?: string;
  /** ISO 8601 */
  launchTime?: string;
  tags: Record<string, string>;
  /** AWS: the VM's subnet and VPC. Azure: the subnet of its network interface, when read. */
  subnetId?: string;
  vpcId?: string;
  /** Azure: the resource group that holds the VM. */
  resourceGroup?: string;
  /** AWS availability zone, or Azure region. */
  location?: string;
  /** AWS availability zone; Azure availability zone as `<region>-<zone>`, unset for a VM in no zone. */
  zone?: string;
  /** AWS AMI id; Azure image reference (its resource id, or publisher:offer:sku:version). */
  image?: string;
  /**
   * The disks attached to the VM as the listing saw them, and whether the cloud deletes each with
   * the VM (AWS: EBS volumes and their DeleteOnTermination). Unset where the listing does not say.
   */
  disks?: { id: string; deletedWithVm: boolean }[];
}

/** A listing of this cluster's peer-pod VMs (the scope: inventory.ts, ClusterIdentity). */
export interface PeerPodVmListing {
  vms: PeerPodVm[];
  /** Peer-pod VMs the listing saw outside the scope: counted, never returned. */
  excluded: number;
}

export interface VmDeletionResult {
  vmId: string;
  name: string;
  /** Cloud ids of everything this call deleted (Azure: the VM, then its NIC and disk if they remained). */
  deleted: string[];
  /** The VM was already gone or already being deleted: nothing had to be done. */
  alreadyGone: boolean;
}

// ---- Audit ---------------------------------------------------------------------------------

export type AuditAction = 'vm.delete' | 'port-rule.create' | 'port-rule.update' | 'port-rule.permission-check';

/**
 * One change (or refused / failed attempt) made in a cloud on someone's behalf. The caller turns it
 * into a Kubernetes Event on the PeerPodConfig and a structured log line.
 */
export interface AuditEvent {
  user: string;
  action: AuditAction;
  provider: CloudProviderName;
  /** The cloud ids the action touched: instance / VM / NIC / disk ids, security group / NSG (rule) ids. */
  cloudIds: string[];
  result: 'succeeded' | 'already-done' | 'refused' | 'failed';
  /** One sentence for people, e.g. "Terminated EC2 instance i-0abc (podvm-web-1a2b3c4d)". */
  message: string;
  errorCode?: CloudErrorCode;
}

export interface ProgressEvent {
  step: string;
  done: number;
  total: number;
}

/** Passed to every call that changes something in a cloud. */
export interface ChangeContext {
  /** The signed-in user on whose behalf the change is made. */
  actor: string;
  audit: (event: AuditEvent) => void;
  onProgress?: (event: ProgressEvent) => void;
}

// ---- Port rules ----------------------------------------------------------------------------

export interface PortRuleOptions {
  /** VXLAN_PORT from peer-pods-cm; default 9000. */
  vxlanPort: number;
  /** Also open the VXLAN port for UDP (VXLAN traffic itself is UDP; some guides open it). */
  includeUdp: boolean;
}

/** kata-agent = tcp 15150; vxlan = tcp VXLAN_PORT; vxlan-udp = udp VXLAN_PORT (optional). */
export type PortRuleKey = 'kata-agent' | 'vxlan' | 'vxlan-udp';

export interface RequiredPortRule {
  key: PortRuleKey;
  protocol: 'tcp' | 'udp';
  port: number;
  purpose: string;
}

export interface AwsIngressRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  sourceGroupIds: string[];
  cidrs: string[];
}

export interface AwsSecurityGroup {
  groupId: string;
  groupName?: string;
  vpcId?: string;
  ingress: AwsIngressRule[];
}

export interface AwsPortRuleDiscovery {
  provider: 'aws';
  workerProviderId: string;
  region: string;
  workerInstanceId: string;
  /** The worker instance's own security groups. */
  workerGroupIds: string[];
  /**
   * The pod VMs' security groups: AWS_SG_IDS from peer-pods-cm, or when it is unset the worker's
   * own (the cloud-api-adaptor then reads them from the instance metadata of its node).
   */
  podVmGroupIds: string[];
  podVmGroupSource: 'AWS_SG_IDS' | 'worker';
  /** Every group named above, as EC2 describes it. */
  securityGroups: AwsSecurityGroup[];
}

export interface AzureNsgRule {
  id?: string;
  name: string;
  priority?: number;
  direction?: string;
  access?: string;
  protocol?: string;
  sourceAddressPrefixes: string[];
  sourcePortRanges: string[];
  destinationAddressPrefixes: string[];
  destinationPortRanges: string[];
}

export interface AzurePortRuleDiscovery {
  provider: 'azure';
  workerProviderId: string;
  subscriptionId: string;
  /** The resource group that holds the NSG and the VNet. */
  resourceGroup: string;
  workerVmName: string;
  nsg: { id: string; name: string; rules: AzureNsgRule[] };
  vnet: { id: string; name: string };
  subnet: { id: string; name: string; addressPrefix: string };
}

export type PortRuleDiscovery = AwsPortRuleDiscovery | AzurePortRuleDiscovery;

export type PortRuleStatus = 'present' | 'missing' | 'conflicting';
export type PortRuleAction = 'none' | 'create' | 'update';

export interface AwsRuleTarget {
  region: string;
  groupId: string;
  sourceGroupId: string;
}

export interface AzureRuleTarget {
  resourceGroup: string;
  nsgName: string;
  ruleName: string;
  /** The priority this rule gets (an existing rule keeps its own). */
  priority: number;
  /** The SPEC's priority (112 / 111); differs from `priority` when that one was taken. */
  requestedPriority: number;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
}

export interface PlannedPortRule extends RequiredPortRule {
  /** AWS security group id, or Azure NSG id. */
  targetId: string;
  /** AWS: the security group allowed in, when it is not the target itself. */
  sourceId?: string;
  status: PortRuleStatus;
  action: PortRuleAction;
  /** One sentence: what was found and what will be done. */
  detail: string;
  /** The equivalent `aws` / `az` command, when there is something to do. */
  command?: string;
  aws?: AwsRuleTarget;
  azure?: AzureRuleTarget;
}

export interface PortRulePlan {
  provider: CloudProviderName;
  options: PortRuleOptions;
  discovery: PortRuleDiscovery;
  rules: PlannedPortRule[];
  /** Every command of the rules that need a change, in order, ready to copy. */
  commands: string[];
  /** Things the admin should know (priority moved, a deny rule in the way…). */
  notes: string[];
  /** Nothing to do. */
  upToDate: boolean;
}

export type PortRuleOutcome = 'created' | 'updated' | 'already-present' | 'unchanged';

export interface PortRuleApplyResult {
  rules: { key: PortRuleKey; targetId: string; sourceId?: string; outcome: PortRuleOutcome; cloudId?: string }[];
}

export interface PortRuleVerification {
  ok: boolean;
  rules: { key: PortRuleKey; targetId: string; sourceId?: string; status: PortRuleStatus; detail: string }[];
}

// ---- Sizes and quotas ----------------------------------------------------------------------

/** One VM size as the cloud describes it in the region (AWS instance type, Azure VM size). */
export interface VmSizeInfo {
  name: string;
  vcpus: number;
  memoryMiB: number;
  gpus: number;
  /**
   * The vCPU quota the size counts against: AWS the On-Demand quota code of its family (e.g.
   * L-1216C47A for A, C, D, H, I, M, R, T, Z); Azure the SKU's family, the name of its usage (e.g.
   * standardDCASv5Family). Undefined when the cloud does not tell.
   */
  quota?: string;
}

/**
 * One vCPU quota with its limit and use. A quota the credentials may not read is a reading in
 * state `not-permitted` naming the permission to grant (never an exception); one that cannot be
 * read or told otherwise is `unknown` with the reason in `detail`.
 */
export interface VcpuQuotaReading {
  /** AWS quota code; Azure usage name (`cores`: the region's total regional vCPUs). */
  code: string;
  /** As the cloud names it, e.g. "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances". */
  name: string;
  state: 'known' | 'not-permitted' | 'unknown';
  /** vCPUs */
  limit?: number;
  /** vCPUs in use now: AWS the region's running and pending On-Demand instances of the quota's families; Azure the usage's currentValue. */
  used?: number;
  /** not-permitted: the IAM action (`servicequotas:GetServiceQuota`) or Azure permission (`Microsoft.Compute/locations/usages/read`). */
  permission?: string;
  /** One sentence: why it is not known. No secret, no raw SDK error. */
  detail?: string;
}

// ---- The provider --------------------------------------------------------------------------

export interface CloudProvider {
  readonly name: CloudProviderName;
  /**
   * Completes this cluster's identity where the settings leave it open and only the cloud knows:
   * AWS without AWS_SUBNET_ID takes the VPCs of the nodes' instances (`nodeProviderIds`, the nodes'
   * spec.providerID, is read only then).
   */
  resolveClusterScope(
    identity: ClusterIdentity,
    nodeProviderIds: () => Promise<readonly string[]>,
  ): Promise<ClusterIdentity>;
  /**
   * This cluster's peer-pod VMs (name `podvm-*`, not terminated), all pages. The cloud is asked for
   * the scope where its API can filter (EC2 filters; ARM lists one resource group); with
   * `countExcluded` the AWS listing covers the region instead, so that the peer-pod VMs of other
   * clusters can be counted. Either way only VMs in the scope are returned.
   */
  listPeerPodVms(scope: ClusterIdentity, options?: { countExcluded?: boolean }): Promise<PeerPodVmListing>;
  /** AWS: TerminateInstances. Azure: delete the VM, then its `<name>-net` NIC and `<name>-disk` disk. */
  deleteVm(vm: PeerPodVm, context: ChangeContext): Promise<VmDeletionResult>;
  /** Finds the security groups / NSG that guard a worker node, from its `spec.providerID`. */
  discoverPortRules(workerProviderId: string): Promise<PortRuleDiscovery>;
  /** Pure: what is present, what is missing, what would be changed, and the equivalent commands. */
  planPortRules(discovery: PortRuleDiscovery, options: PortRuleOptions): PortRulePlan;
  /** Makes the plan's changes; a rule that already exists counts as success. */
  applyPortRules(plan: PortRulePlan, context: ChangeContext): Promise<PortRuleApplyResult>;
  /** Reads the rules back from the cloud and checks each planned rule is there. */
  verifyPortRules(plan: PortRulePlan): Promise<PortRuleVerification>;
  /**
   * The VM's serial console, its tail (console-output.ts). AWS: GetConsoleOutput; Azure: the boot
   * diagnostics serial log (its SAS URI is a secret: never logged, never in an error). The text is
   * the guest's and is never logged either.
   */
  consoleOutput(vmId: string): Promise<ConsoleOutput>;
  /** The region the sizes and quotas are read in: AWS_REGION, or the Azure location of the resource group. */
  region(): Promise<string>;
  /**
   * The named sizes as the cloud describes them in the region (AWS DescribeInstanceTypes, Azure
   * resource SKUs of the location); a name the cloud does not know is left out. The caller caches.
   */
  describeSizes(names: readonly string[]): Promise<VmSizeInfo[]>;
  /**
   * The vCPU quotas `size` counts against, each with its limit and what is in use in the region:
   * AWS the On-Demand quota of the size's family (Service Quotas GetServiceQuota, then the AWS
   * default when the account has no applied value; use from DescribeInstances); Azure the family's
   * usage and the region's total (`cores`). The caller caches.
   */
  readVcpuQuotas(size: VmSizeInfo): Promise<VcpuQuotaReading[]>;
}
