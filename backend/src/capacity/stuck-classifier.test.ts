// The messages below are the shapes the scheduler, the kubelet, the Kata shim, cloud-api-adaptor
// and the clouds write (sources named per group; ids, names and addresses are made up).
import { describe, expect, it } from 'vitest';
import type { StuckReason } from '@peer-pods-console/contract/operations';
import { classifySandboxMessage, classifySchedulerMessage, classifyStuck, stuckFixes } from './stuck-classifier.ts';

const RESOURCE = 'kata.peerpods.io/vm';

/** kubelet FailedCreatePodSandBox → kata remote.go → cloud-api-adaptor cloud.go StartVM → the provider's error. */
const sandbox = (inner: string) =>
  `Failed to create pod sandbox: rpc error: code = Unknown desc = remote hypervisor call failed: rpc error: code = Unknown desc = creating an instance : ${inner}`;
/** cloud-api-adaptor cloud-providers/aws/provider.go around an AWS SDK for Go v2 OperationError. */
const ec2 = (code: string, message: string) =>
  sandbox(
    `creating instance podvm-web-6d9f-1a2b3c4d (<nil>): operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 5f3a9c1e-7b7e-4c1a-9f0e-2b8f4c6d1e00, api error ${code}: ${message}`,
  );
/** cloud-api-adaptor cloud-providers/azure/provider.go around an Azure SDK for Go azcore.ResponseError. */
const arm = (status: string, code: string, message: string) =>
  sandbox(
    `Creating instance (<nil>): waiting for the VM creation: PUT https://management.azure.com/subscriptions/0000/resourceGroups/aro-rg/providers/Microsoft.Compute/virtualMachines/podvm-web-1a2b3c4d\n` +
      `--------------------------------------------------------------------------------\nRESPONSE ${status}\nERROR CODE: ${code}\n` +
      `--------------------------------------------------------------------------------\n{\n  "error": {\n    "code": "${code}",\n    "message": "${message}"\n  }\n}`,
  );

const SCHEDULER_TABLE: [string, string, StuckReason][] = [
  // kubernetes pkg/scheduler/framework/types.go (FitError) with plugins/noderesources/fit.go
  [
    'no node with a free VM',
    '0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    'capacity',
  ],
  [
    'the pinned node full, the others excluded by the selector',
    "0/4 nodes are available: 1 Insufficient kata.peerpods.io/vm, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    'capacity',
  ],
  // pkg/kubelet/lifecycle/predicate.go: a pod bound by spec.nodeName to a full node
  [
    'the kubelet refuses a pod bound to a full node',
    "Node didn't have enough resource: kata.peerpods.io/vm, requested: 1, used: 10, capacity: 10",
    'capacity',
  ],
  // plugins/tainttoleration and nodeaffinity
  [
    'taints',
    '0/3 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    'scheduling',
  ],
  [
    'no node matches the selector',
    "0/6 nodes are available: 6 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
    'scheduling',
  ],
  ['another resource', '0/3 nodes are available: 3 Insufficient cpu.', 'scheduling'],
  ['no message yet', '', 'other'],
];

const SANDBOX_TABLE: [string, string, StuckReason][] = [
  // EC2 error codes (AWS EC2 API reference, "Error codes"), as the SDK v2 wraps them
  [
    'AWS vCPU quota',
    ec2(
      'VcpuLimitExceeded',
      'You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
    ),
    'quota',
  ],
  [
    'AWS instance quota',
    ec2(
      'InstanceLimitExceeded',
      'You have requested more instances (21) than your current instance limit of 20 allows for the specified instance type.',
    ),
    'quota',
  ],
  [
    'AWS has no capacity in the zone',
    ec2(
      'InsufficientInstanceCapacity',
      'We currently do not have sufficient m6a.large capacity in the Availability Zone you requested (us-east-2a). Our system will be working on provisioning additional capacity. You can currently get m6a.large capacity by not specifying an Availability Zone in your request or choosing us-east-2b, us-east-2c.',
    ),
    'cloud-capacity',
  ],
  [
    'AWS instance type not offered in the zone',
    ec2(
      'Unsupported',
      'Your requested instance type (m6a.large) is not supported in your requested Availability Zone (us-east-2a). Please retry your request by not specifying an Availability Zone or choosing us-east-2b, us-east-2c.',
    ),
    'instance-type',
  ],
  [
    'AWS instance type not valid',
    ec2('InvalidParameterValue', "Invalid value 'm9.giant' for InstanceType."),
    'instance-type',
  ],
  [
    'AWS pod VM image missing',
    ec2('InvalidAMIID.NotFound', "The image id '[ami-0a1b2c3d4e5f67890]' does not exist"),
    'image',
  ],
  ['AWS pod VM image id malformed', ec2('InvalidAMIID.Malformed', 'Invalid id: "ami-xyz"'), 'image'],
  [
    'AWS credentials rejected',
    ec2('AuthFailure', 'AWS was not able to validate the provided access credentials'),
    'credentials',
  ],
  [
    'AWS permission missing',
    ec2(
      'UnauthorizedOperation',
      'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/peerpods is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-2:123456789012:instance/*. Encoded authorization failure message: Xz8…',
    ),
    'credentials',
  ],
  // ARM error codes (Azure "Resolve errors" docs for SKU, allocation, quota, image, authorization)
  [
    'Azure cores quota',
    arm(
      '409: 409 Conflict',
      'OperationNotAllowed',
      'Operation could not be completed as it results in exceeding approved standardDCASv5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 10, Current Usage: 8, Additional Required: 4, (Minimum) New Limit Required: 12.',
    ),
    'quota',
  ],
  [
    'Azure regional quota',
    arm(
      '409: 409 Conflict',
      'QuotaExceeded',
      'Operation could not be completed as it results in exceeding approved Total Regional Cores quota.',
    ),
    'quota',
  ],
  [
    'Azure size not offered here',
    arm(
      '409: 409 Conflict',
      'SkuNotAvailable',
      "The requested size for resource '/subscriptions/0000/resourceGroups/aro-rg/providers/Microsoft.Compute/virtualMachines/podvm-web-1a2b3c4d' is currently not available in location 'eastus' zones '' for subscription '0000'. Please try another size or deploy to a different location or zones. See https://aka.ms/azureskunotavailable for details.",
    ),
    'instance-type',
  ],
  [
    'Azure size not valid',
    arm(
      '400: 400 Bad Request',
      'InvalidParameter',
      'The value Standard_DC2as_v9 provided for the VM size is not valid. The valid sizes in the current region are: Standard_B1ls, Standard_B1ms.',
    ),
    'instance-type',
  ],
  [
    'Azure allocation failed',
    arm(
      '200: 200 OK',
      'AllocationFailed',
      'Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance',
    ),
    'cloud-capacity',
  ],
  [
    'Azure zonal allocation failed',
    arm(
      '200: 200 OK',
      'ZonalAllocationFailed',
      'Allocation failed. We do not have sufficient capacity for the requested VM size in this zone.',
    ),
    'cloud-capacity',
  ],
  [
    'Azure image missing',
    arm(
      '404: 404 Not Found',
      'ImageNotFound',
      "The Image '/subscriptions/0000/resourceGroups/aro-rg/providers/Microsoft.Compute/images/podvm-image' cannot be found in 'eastus' region.",
    ),
    'image',
  ],
  [
    'Azure role missing',
    arm(
      '403: 403 Forbidden',
      'AuthorizationFailed',
      "The client '11111111-2222-3333-4444-555555555555' with object id '11111111-2222-3333-4444-555555555555' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write' over scope '/subscriptions/0000/resourceGroups/aro-rg' or the scope is invalid. If access was recently granted, please refresh your credentials.",
    ),
    'credentials',
  ],
  [
    'Azure token rejected',
    arm('401: 401 Unauthorized', 'InvalidAuthenticationToken', 'The access token is invalid.'),
    'credentials',
  ],
  [
    'Entra ID refuses the client secret (azidentity)',
    sandbox(
      'creating VM network interface: ClientSecretCredential: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    ),
    'credentials',
  ],
  // cloud-api-adaptor pkg/adaptor/proxy/proxy.go: the agent behind closed ports
  [
    'agent port timed out',
    sandbox(
      'error connecting to agent: failed to establish agent proxy connection to 10.0.12.34:15150: dial tcp 10.0.12.34:15150: i/o timeout',
    ),
    'network',
  ],
  [
    'agent port refused',
    'Failed to create pod sandbox: rpc error: code = Unknown desc = remote hypervisor call failed: rpc error: code = Unknown desc = error connecting to agent: failed to establish agent proxy connection to 10.0.12.34:15150: dial tcp 10.0.12.34:15150: connect: connection refused',
    'network',
  ],
  // Kept verbatim as "other": nothing above names them.
  [
    'the CNI failed (not the cloud)',
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "3f1c…": plugin type="ovn-k8s-cni-overlay" failed (add): failed to send CNI request',
    'other',
  ],
  [
    'the EC2 endpoint unreachable (egress, not the agent port)',
    sandbox(
      'creating instance podvm-web-1a2b3c4d (<nil>): operation error EC2: RunInstances, exceeded maximum number of attempts, 3, https response error: dial tcp 52.95.20.1:443: i/o timeout',
    ),
    'other',
  ],
];

describe('classifySchedulerMessage', () => {
  it.each(SCHEDULER_TABLE)('%s', (_what, message, reason) => {
    expect(classifySchedulerMessage(message, RESOURCE)).toBe(reason);
    expect(classifyStuck({ stage: 'pending', message, extendedResource: RESOURCE })).toBe(reason);
  });

  it('reads the resource the backend is configured with, not only the default', () => {
    const message = '0/2 nodes are available: 2 Insufficient example.com/vm.';
    expect(classifySchedulerMessage(message, 'example.com/vm')).toBe('capacity');
    expect(classifySchedulerMessage(message, RESOURCE)).toBe('scheduling');
  });
});

describe('classifySandboxMessage', () => {
  it.each(SANDBOX_TABLE)('%s', (_what, message, reason) => {
    expect(classifySandboxMessage(message)).toBe(reason);
    expect(
      classifyStuck({ stage: 'sandbox', eventReason: 'FailedCreatePodSandBox', message, extendedResource: RESOURCE }),
    ).toBe(reason);
  });

  it('reads a FailedScheduling Event of a sandbox-stage pod as the scheduler', () => {
    expect(
      classifyStuck({
        stage: 'sandbox',
        eventReason: 'FailedScheduling',
        message: '0/1 nodes are available: 1 Insufficient kata.peerpods.io/vm.',
        extendedResource: RESOURCE,
      }),
    ).toBe('capacity');
  });
});

describe('stuckFixes', () => {
  it('offers the override of the one node a capacity-stuck pod is pinned to, and the limit when that node takes it from the PeerPodConfig', () => {
    expect(stuckFixes('capacity', { pinnedNode: 'w1', source: 'config' })).toEqual(['raise-override', 'raise-limit']);
    expect(stuckFixes('capacity', { pinnedNode: 'w1', source: 'override' })).toEqual(['raise-override']);
    expect(stuckFixes('capacity', { pinnedNode: 'w1', source: 'none' })).toEqual(['raise-override']);
  });

  it('offers the limit, never an override, to a capacity-stuck pod any node would do', () => {
    expect(stuckFixes('capacity', { pinnedNode: null })).toEqual(['raise-limit']);
  });

  it.each([
    ['scheduling', ['check-scheduling']],
    ['quota', ['check-quota']],
    ['cloud-capacity', ['check-quota']],
    ['instance-type', ['check-config']],
    ['image', ['check-config']],
    ['network', ['open-ports']],
    ['credentials', ['check-credentials']],
    ['other', []],
  ] as const)('answers %s with %j', (reason, fixes) => {
    expect(stuckFixes(reason, { pinnedNode: 'w1', source: 'config' })).toEqual(fixes);
  });
});
