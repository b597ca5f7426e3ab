// AWS as a cloud module: the keys the cloud-api-adaptor reads on AWS, which instances are this
// cluster's (AWS_SUBNET_ID, else the nodes' VPC, and TAGS), the EC2 provider, and what
// terminating a peer-pod instance removes (the instance and the volumes EC2 deletes with it).
import { CloudConflictError } from '../errors.ts';
import type { ClusterIdentity } from '../inventory.ts';
import type { CloudModule, CloudResource, MembershipCheck } from '../module.ts';
import type { PeerPodVm, PortRuleDiscovery } from '../provider.ts';
import { awsDiscoveryCommands } from './port-rules.ts';
import { AwsCloudProvider } from './provider.ts';
import { infrastructureRegion, parseAwsSettings, type AwsCloudSettings } from './settings.ts';

const OK: MembershipCheck = { ok: true };

const NO_SCOPE =
  'Set TAGS or AWS_SUBNET_ID in peer-pods-cm so this cluster’s pod VMs can be told apart from others in the account.';

export const awsCloudModule: CloudModule<AwsCloudSettings> = {
  id: 'aws',
  displayName: 'AWS',
  platformType: 'AWS',
  keys: [
    { name: 'AWS_ACCESS_KEY_ID', in: 'secret', need: 'required' },
    { name: 'AWS_SECRET_ACCESS_KEY', in: 'secret', need: 'required' },
    { name: 'AWS_SESSION_TOKEN', in: 'secret', need: 'optional' },
    { name: 'AWS_REGION', in: 'configMap', need: 'required', fromInfrastructure: infrastructureRegion },
    { name: 'AWS_SUBNET_ID', in: 'configMap', need: 'recommended' },
    { name: 'AWS_SG_IDS', in: 'configMap', need: 'recommended' },
    { name: 'PODVM_INSTANCE_TYPE', in: 'configMap', need: 'optional' },
    { name: 'PODVM_INSTANCE_TYPES', in: 'configMap', need: 'optional' },
    { name: 'PODVM_AMI_ID', in: 'configMap', need: 'optional' },
  ],
  placement: {
    key: 'AWS_REGION',
    valueName: 'region',
    found: 'platformAws',
    missing: 'platformAwsNoRegion',
    placeholder: '<region>',
  },

  parseSettings: parseAwsSettings,

  createProvider(settings, options) {
    return new AwsCloudProvider({
      region: settings.region,
      endpoint: options.awsEndpoint || undefined,
      credentials: {
        accessKeyId: settings.credentials.accessKeyId.reveal(),
        secretAccessKey: settings.credentials.secretAccessKey.reveal(),
        sessionToken: settings.credentials.sessionToken?.reveal(),
      },
      credentialsSource: settings.secretRef,
      podVmSecurityGroupIds: settings.securityGroupIds,
      logger: options.logger,
    });
  },

  clusterIdentity(settings) {
    return { provider: 'aws', tags: settings.tags, subnetId: settings.subnetId };
  },

  // The adaptor launches into AWS_SUBNET_ID, else into the subnet of the node it runs on.
  checkPlacement(vm, identity) {
    if (identity.subnetId) {
      return vm.subnetId === identity.subnetId
        ? OK
        : { ok: false, reason: 'The VM is not in AWS_SUBNET_ID of peer-pods-cm.' };
    }
    if (identity.vpcIds && identity.vpcIds.length > 0) {
      return vm.vpcId && identity.vpcIds.includes(vm.vpcId)
        ? OK
        : { ok: false, reason: 'The VM is not in the VPC of this cluster’s nodes.' };
    }
    // Neither subnet nor VPC known: TAGS alone can still name the cluster's VMs; nothing else can.
    return hasTags(identity) ? OK : { ok: false, reason: NO_SCOPE };
  },

  // A VPC may hold several clusters (installs into an existing VPC): the VPC alone deletes nothing.
  checkCleanupScope(identity) {
    return identity.subnetId || hasTags(identity) ? OK : { ok: false, reason: NO_SCOPE };
  },

  describeScope(identity, withTags) {
    if (identity.subnetId) return `Peer-pod instances in subnet ${identity.subnetId} (AWS_SUBNET_ID)${withTags}.`;
    if (identity.vpcIds && identity.vpcIds.length > 0) {
      return `Peer-pod instances in ${identity.vpcIds.join(', ')} (the VPC of this cluster’s nodes)${withTags}.`;
    }
    if (hasTags(identity)) return `Peer-pod instances${withTags}.`;
    return `None: ${NO_SCOPE}`;
  },

  cleanupResources: terminatedWith,

  deletedResources(vm, deletion) {
    return deletion.deleted.includes(vm.id) ? terminatedWith(vm) : [];
  },

  portRuleTarget(discovery) {
    const aws = awsDiscovery(discovery);
    const source = aws.podVmGroupSource === 'AWS_SG_IDS' ? 'AWS_SG_IDS' : 'the worker’s own: AWS_SG_IDS is unset';
    return {
      region: aws.region,
      workerInstanceId: aws.workerInstanceId,
      securityGroups: aws.workerGroupIds.join(', '),
      podVmSecurityGroups: `${aws.podVmGroupIds.join(', ')} (${source})`,
    };
  },

  portRuleDiscoveryCommands(discovery) {
    return awsDiscoveryCommands(awsDiscovery(discovery));
  },

  // Security group rules have neither a name nor a priority.
  portRuleName() {
    return { name: null, priority: null };
  },
};

/** TerminateInstances removes the instance, and EC2 the volumes marked DeleteOnTermination. */
function terminatedWith(vm: PeerPodVm): CloudResource[] {
  return [
    { kind: 'ec2-instance', name: vm.id },
    ...(vm.disks ?? [])
      .filter((disk) => disk.deletedWithVm)
      .map((disk): CloudResource => ({ kind: 'disk', name: disk.id })),
  ];
}

function hasTags(identity: ClusterIdentity): boolean {
  return Object.keys(identity.tags).length > 0;
}

function awsDiscovery(discovery: PortRuleDiscovery) {
  if (discovery.provider !== 'aws') throw new CloudConflictError('This needs an AWS discovery.', { provider: 'aws' });
  return discovery;
}
