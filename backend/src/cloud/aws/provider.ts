// CloudProvider for AWS (EC2 through @aws-sdk/client-ec2, vCPU quotas through
// @aws-sdk/client-service-quotas). Endpoint, region and credentials are options, shared by both
// clients, so it can point at moto in tests. Throttling (RequestLimitExceeded) is retried by the
// SDK's standard retry strategy: exponential backoff with jitter, up to `maxAttempts` attempts.
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  GetConsoleOutputCommand,
  TerminateInstancesCommand,
  paginateDescribeInstanceTypes,
  paginateDescribeInstances,
  type _InstanceType,
  type Filter,
  type Instance,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import type { Logger } from 'pino';
import { consoleTail, type ConsoleOutput } from '../console-output.ts';
import { CloudConfigError, CloudConflictError, CloudError, CloudNotFoundError } from '../errors.ts';
import { partitionByScope, type ClusterIdentity } from '../inventory.ts';
import type {
  AwsIngressRule,
  AwsPortRuleDiscovery,
  ChangeContext,
  CloudProvider,
  PeerPodVm,
  PeerPodVmListing,
  PlannedPortRule,
  PortRuleApplyResult,
  PortRuleDiscovery,
  PortRuleOptions,
  PortRulePlan,
  PortRuleVerification,
  VcpuQuotaReading,
  VmDeletionResult,
  VmSizeInfo,
  VmState,
} from '../provider.ts';
import { awsErrorCode, toAwsCloudError, type AwsService } from './errors.ts';
import { instanceIdFromProviderId, planAwsPortRules } from './port-rules.ts';
import {
  countsAgainst,
  onDemandQuotaByCode,
  toVmSizeInfo,
  typesWithoutCpuOptions,
  vcpusInUse,
  type OnDemandQuota,
} from './sizing.ts';

export interface AwsProviderOptions {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** e.g. http://127.0.0.1:5000 for moto (EC2 and Service Quotas); default: the regional endpoints. */
  endpoint?: string;
  /** Attempts per call, first one included (throttling and 5xx are retried); default 5. */
  maxAttempts?: number;
  /** DescribeInstances page size (MaxResults, 5-1000); default 1000. */
  pageSize?: number;
  /** Per-request socket timeout; default 30 s. */
  requestTimeoutMs?: number;
  /** Where the credentials come from, named in error messages; default "the cloud credentials Secret". */
  credentialsSource?: string;
  /** AWS_SG_IDS of peer-pods-cm: the pod VMs' security groups; default (empty) the worker's own. */
  podVmSecurityGroupIds?: readonly string[];
  logger: Logger;
}

const LISTED_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

/** The instances that count against an On-Demand vCPU quota. */
const QUOTA_STATES = ['pending', 'running'];

/** DescribeInstanceTypes takes at most 100 names per call. */
const INSTANCE_TYPES_PER_CALL = 100;

/** A value read from AWS, or why it could not be: the parts of a VcpuQuotaReading that say so. */
type Read =
  { ok: true; value: number } | { ok: false; state: 'not-permitted' | 'unknown'; permission?: string; detail: string };

const STATES: Record<string, VmState> = {
  pending: 'pending',
  running: 'running',
  'shutting-down': 'terminating',
  terminated: 'terminated',
  stopping: 'stopping',
  stopped: 'stopped',
};

function tagsOf(instance: Instance): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  return tags;
}

function toPeerPodVm(instance: Instance): PeerPodVm {
  const tags = tagsOf(instance);
  const cloudState = instance.State?.Name ?? 'unknown';
  return {
    provider: 'aws',
    id: instance.InstanceId ?? '',
    name: tags.Name ?? '',
    state: STATES[cloudState] ?? 'unknown',
    cloudState,
    instanceType: instance.InstanceType,
    launchTime: instance.LaunchTime?.toISOString(),
    tags,
    subnetId: instance.SubnetId,
    vpcId: instance.VpcId,
    location: instance.Placement?.AvailabilityZone,
    zone: instance.Placement?.AvailabilityZone,
    image: instance.ImageId,
    disks: (instance.BlockDeviceMappings ?? []).flatMap((mapping) =>
      mapping.Ebs?.VolumeId
        ? [{ id: mapping.Ebs.VolumeId, deletedWithVm: mapping.Ebs.DeleteOnTermination === true }]
        : [],
    ),
  };
}

/** EC2 filters for the part of the scope EC2 can filter on; the rest is checked on each instance. */
export function scopeFilters(scope: ClusterIdentity): Filter[] {
  const filters: Filter[] = [];
  if (scope.subnetId) filters.push({ Name: 'subnet-id', Values: [scope.subnetId] });
  else if (scope.vpcIds && scope.vpcIds.length > 0) filters.push({ Name: 'vpc-id', Values: scope.vpcIds });
  for (const [key, value] of Object.entries(scope.tags)) filters.push({ Name: `tag:${key}`, Values: [value] });
  return filters;
}

/** Instance ids of the nodes that run on AWS; other providerIDs are skipped. */
function nodeInstanceIds(providerIds: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const providerId of providerIds) {
    try {
      ids.add(instanceIdFromProviderId(providerId));
    } catch {
      // not an AWS instance (e.g. a node of another platform): it says nothing about the VPC
    }
  }
  return [...ids].sort();
}

function ingressRules(permissions: IpPermission[] | undefined): AwsIngressRule[] {
  return (permissions ?? []).map((permission) => ({
    protocol: permission.IpProtocol ?? '',
    fromPort: permission.FromPort,
    toPort: permission.ToPort,
    sourceGroupIds: (permission.UserIdGroupPairs ?? []).flatMap((pair) => (pair.GroupId ? [pair.GroupId] : [])),
    cidrs: (permission.IpRanges ?? []).flatMap((range) => (range.CidrIp ? [range.CidrIp] : [])),
  }));
}

export class AwsCloudProvider implements CloudProvider {
  readonly name = 'aws' as const;
  readonly #client: EC2Client;
  readonly #quotas: ServiceQuotasClient;
  readonly #region: string;
  readonly #pageSize: number;
  readonly #credentialsSource: string;
  readonly #secrets: string[];
  readonly #logger: Logger;
  readonly #podVmGroupIds: string[];
  /** The VPCs of the last set of node instances looked up: an instance never changes its VPC. */
  #nodeVpcs: { instanceIds: string; vpcIds: string[] } | undefined;

  constructor(options: AwsProviderOptions) {
    this.#region = options.region;
    this.#podVmGroupIds = [...new Set(options.podVmSecurityGroupIds ?? [])];
    this.#pageSize = Math.min(1000, Math.max(5, options.pageSize ?? 1000));
    this.#credentialsSource = options.credentialsSource ?? 'the cloud credentials Secret';
    this.#secrets = [
      options.credentials.secretAccessKey,
      options.credentials.sessionToken ?? '',
      options.credentials.accessKeyId,
    ];
    this.#logger = options.logger.child({ cloud: 'aws', region: options.region });
    const clientOptions = {
      region: options.region,
      endpoint: options.endpoint,
      credentials: { ...options.credentials },
      maxAttempts: options.maxAttempts ?? 5,
      retryMode: 'standard',
      requestHandler: {
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        // Without it the SDK only logs a warning, and a call to an endpoint that never answers
        // waits forever (and with it the API request, or the inventory refresh, that made it).
        throwOnRequestTimeout: true,
        socketTimeout: options.requestTimeoutMs ?? 30_000,
        connectionTimeout: 10_000,
      },
    };
    this.#client = new EC2Client(clientOptions);
    this.#quotas = new ServiceQuotasClient(clientOptions);
  }

  /** Closes the SDKs' sockets. */
  destroy(): void {
    this.#client.destroy();
    this.#quotas.destroy();
  }

  #fail(error: unknown, operation: string, subject?: string, service: AwsService = 'ec2'): CloudError {
    if (error instanceof CloudError) return error;
    const mapped = toAwsCloudError(error, {
      service,
      operation,
      subject,
      region: this.#region,
      credentialsSource: this.#credentialsSource,
      secrets: this.#secrets,
    });
    this.#logger.warn(
      { service, operation, code: mapped.code, cloudCode: mapped.cloudCode, requestId: mapped.requestId },
      'AWS call failed',
    );
    return mapped;
  }

  async resolveClusterScope(
    identity: ClusterIdentity,
    nodeProviderIds: () => Promise<readonly string[]>,
  ): Promise<ClusterIdentity> {
    // With AWS_SUBNET_ID the adaptor launches every VM there; without, into its own node's subnet.
    if (identity.subnetId) return identity;
    const instanceIds = nodeInstanceIds(await nodeProviderIds());
    if (instanceIds.length === 0) return { ...identity, vpcIds: [] };
    const key = instanceIds.join(',');
    if (this.#nodeVpcs?.instanceIds !== key) {
      const vpcIds = new Set<string>();
      try {
        // A filter, not InstanceIds: a node whose instance is already gone must not fail the lookup.
        for (let start = 0; start < instanceIds.length; start += 200) {
          const pages = paginateDescribeInstances(
            { client: this.#client, pageSize: this.#pageSize },
            { Filters: [{ Name: 'instance-id', Values: instanceIds.slice(start, start + 200) }] },
          );
          for await (const page of pages) {
            for (const reservation of page.Reservations ?? []) {
              for (const instance of reservation.Instances ?? []) if (instance.VpcId) vpcIds.add(instance.VpcId);
            }
          }
        }
      } catch (error) {
        throw this.#fail(error, 'DescribeInstances', 'the instances of the cluster’s nodes');
      }
      this.#nodeVpcs = { instanceIds: key, vpcIds: [...vpcIds].sort() };
    }
    return { ...identity, vpcIds: this.#nodeVpcs.vpcIds };
  }

  async listPeerPodVms(scope: ClusterIdentity, options: { countExcluded?: boolean } = {}): Promise<PeerPodVmListing> {
    const seen: PeerPodVm[] = [];
    let pages = 0;
    try {
      const pagesIterator = paginateDescribeInstances(
        { client: this.#client, pageSize: this.#pageSize },
        {
          Filters: [
            { Name: 'tag:Name', Values: ['podvm-*'] },
            { Name: 'instance-state-name', Values: LISTED_STATES },
            // Counting other clusters' VMs means seeing them: then the whole region is listed.
            ...(options.countExcluded ? [] : scopeFilters(scope)),
          ],
        },
      );
      for await (const page of pagesIterator) {
        pages += 1;
        for (const reservation of page.Reservations ?? []) {
          for (const instance of reservation.Instances ?? []) {
            const vm = toPeerPodVm(instance);
            // The server-side filter is a wildcard; keep exactly the adaptor's prefix.
            if (vm.id && vm.name.startsWith('podvm-')) seen.push(vm);
          }
        }
      }
    } catch (error) {
      throw this.#fail(error, 'DescribeInstances', 'peer-pod instances');
    }
    // Checked here too: EC2 tag filters take * and ? in a TAGS value as wildcards.
    const listing = partitionByScope(seen, scope);
    this.#logger.debug({ vms: listing.vms.length, excluded: listing.excluded, pages }, 'listed peer-pod instances');
    return listing;
  }

  async deleteVm(vm: PeerPodVm, context: ChangeContext): Promise<VmDeletionResult> {
    const audit = (
      result: 'succeeded' | 'already-done' | 'refused' | 'failed',
      message: string,
      errorCode?: CloudError['code'],
    ) =>
      context.audit({
        user: context.actor,
        action: 'vm.delete',
        provider: 'aws',
        cloudIds: [vm.id],
        result,
        message,
        errorCode,
      });
    const refuse = (reason: string): CloudConflictError => {
      const refusal = new CloudConflictError(`Refused to delete ${vm.id}: ${reason}`, {
        provider: 'aws',
        operation: 'TerminateInstances',
      });
      audit('refused', refusal.message, refusal.code);
      return refusal;
    };
    if (!vm.name.startsWith('podvm-') || !/^i-[0-9a-zA-Z]+$/.test(vm.id)) {
      throw refuse('only peer-pod instances (Name podvm-…) are deleted here.');
    }
    let current: Instance | undefined;
    try {
      // The id must still name the same peer-pod VM: ids never come back, but a caller may mix them up.
      current = await this.#describeInstance(vm.id).catch((error: unknown) => {
        if (error instanceof CloudNotFoundError) return undefined;
        throw error;
      });
      const currentState = current?.State?.Name;
      if (!current || currentState === 'terminated' || currentState === 'shutting-down') {
        audit('already-done', `EC2 instance ${vm.id} (${vm.name}) was already terminated.`);
        return { vmId: vm.id, name: vm.name, deleted: [], alreadyGone: true };
      }
    } catch (error) {
      const failure = this.#fail(error, 'DescribeInstances', `instance ${vm.id}`);
      audit('failed', failure.message, failure.code);
      throw failure;
    }
    if ((current ? tagsOf(current).Name : undefined) !== vm.name) {
      throw refuse(`its Name tag no longer is ${vm.name}. Reload the inventory and try again.`);
    }
    try {
      const output = await this.#client.send(new TerminateInstancesCommand({ InstanceIds: [vm.id] }));
      const previous = output.TerminatingInstances?.[0]?.PreviousState?.Name;
      const alreadyGone = previous === 'shutting-down' || previous === 'terminated';
      this.#logger.info({ vmId: vm.id, vmName: vm.name, user: context.actor }, 'terminated peer-pod instance');
      audit(alreadyGone ? 'already-done' : 'succeeded', `Terminated EC2 instance ${vm.id} (${vm.name}).`);
      return { vmId: vm.id, name: vm.name, deleted: alreadyGone ? [] : [vm.id], alreadyGone };
    } catch (error) {
      const failure = this.#fail(error, 'TerminateInstances', `instance ${vm.id}`);
      audit('failed', failure.message, failure.code);
      throw failure;
    }
  }

  async consoleOutput(vmId: string): Promise<ConsoleOutput> {
    if (!/^i-[0-9a-zA-Z]+$/.test(vmId)) {
      throw new CloudConfigError(`${vmId} is not an EC2 instance id (i-…).`, {
        provider: 'aws',
        operation: 'GetConsoleOutput',
      });
    }
    const read = (latest: boolean) =>
      this.#client.send(new GetConsoleOutputCommand({ InstanceId: vmId, ...(latest ? { Latest: true } : {}) }));
    let output;
    try {
      // Latest: the newest 64 KB, which only Nitro instances keep; the others answer the boot's last output.
      output = await read(true).catch((error: unknown) => {
        if (awsErrorCode(error) === 'UnsupportedOperation') return read(false);
        throw error;
      });
    } catch (error) {
      throw this.#fail(error, 'GetConsoleOutput', `instance ${vmId}`);
    }
    const capturedAt = output.Timestamp?.toISOString();
    if (!output.Output) {
      return {
        output: '',
        capturedAt,
        truncated: false,
        unavailable: `EC2 has no console output for instance ${vmId} yet; it appears a few minutes after the instance boots.`,
      };
    }
    return { ...consoleTail(Buffer.from(output.Output, 'base64')), capturedAt };
  }

  region(): Promise<string> {
    return Promise.resolve(this.#region);
  }

  async describeSizes(names: readonly string[]): Promise<VmSizeInfo[]> {
    const wanted = [...new Set(names.map((name) => name.trim()).filter(Boolean))];
    const found = new Map<string, VmSizeInfo>();
    for (let start = 0; start < wanted.length; start += INSTANCE_TYPES_PER_CALL) {
      const batch = wanted.slice(start, start + INSTANCE_TYPES_PER_CALL);
      for (const size of await this.#describeKnownTypes(batch)) found.set(size.name, size);
    }
    return wanted.flatMap((name) => found.get(name) ?? []);
  }

  /** One name EC2 does not know fails the whole call (InvalidInstanceType): then each name alone. */
  async #describeKnownTypes(batch: string[]): Promise<VmSizeInfo[]> {
    const unknownType = (error: unknown) => awsErrorCode(error)?.startsWith('InvalidInstanceType') === true;
    try {
      return await this.#describeTypes(batch);
    } catch (error) {
      if (!unknownType(error)) throw this.#fail(error, 'DescribeInstanceTypes', `instance types ${batch.join(', ')}`);
      if (batch.length === 1) return [];
    }
    const sizes: VmSizeInfo[] = [];
    for (const name of batch) {
      try {
        sizes.push(...(await this.#describeTypes([name])));
      } catch (error) {
        if (!unknownType(error)) throw this.#fail(error, 'DescribeInstanceTypes', `instance type ${name}`);
      }
    }
    return sizes;
  }

  async #describeTypes(names: string[]): Promise<VmSizeInfo[]> {
    const sizes: VmSizeInfo[] = [];
    const pages = paginateDescribeInstanceTypes(
      { client: this.#client, pageSize: INSTANCE_TYPES_PER_CALL },
      { InstanceTypes: names as _InstanceType[] },
    );
    for await (const page of pages) {
      for (const info of page.InstanceTypes ?? []) {
        const size = toVmSizeInfo(info);
        if (size) sizes.push(size);
      }
    }
    return sizes;
  }

  async readVcpuQuotas(size: VmSizeInfo): Promise<VcpuQuotaReading[]> {
    const quota = size.quota === undefined ? undefined : onDemandQuotaByCode(size.quota);
    if (!quota) {
      return [
        {
          code: size.quota ?? '',
          name: `On-Demand vCPU quota of ${size.name}`,
          state: 'unknown',
          detail: `Which On-Demand vCPU quota instance type ${size.name} counts against is not known here, so its room in ${this.#region} cannot be told; see the EC2 quotas in the Service Quotas console.`,
        },
      ];
    }
    const [limit, used] = await Promise.all([this.#quotaLimit(quota), this.#vcpusInUse(quota)]);
    const reading: VcpuQuotaReading = {
      code: quota.code,
      name: quota.name,
      state: 'known',
      limit: limit.ok ? limit.value : undefined,
      used: used.ok ? used.value : undefined,
    };
    // The limit decides more than the use: when neither was read, say why the limit was not.
    const missing = !limit.ok ? limit : !used.ok ? used : undefined;
    if (missing) return [{ ...reading, state: missing.state, permission: missing.permission, detail: missing.detail }];
    return [reading];
  }

  /** The account's applied value, or the AWS default when none was ever applied (NoSuchResourceException). */
  async #quotaLimit(quota: OnDemandQuota): Promise<Read> {
    const ask = { ServiceCode: 'ec2', QuotaCode: quota.code };
    let operation = 'GetServiceQuota';
    try {
      const output = await this.#quotas.send(new GetServiceQuotaCommand(ask)).catch((error: unknown) => {
        if (awsErrorCode(error) !== 'NoSuchResourceException') throw error;
        operation = 'GetAWSDefaultServiceQuota';
        return this.#quotas.send(new GetAWSDefaultServiceQuotaCommand(ask));
      });
      const value = output.Quota?.Value;
      if (value === undefined || !Number.isFinite(value)) {
        return {
          ok: false,
          state: 'unknown',
          detail: `Service Quotas gave no value for ${quota.name} in ${this.#region}.`,
        };
      }
      return { ok: true, value: Math.max(0, Math.floor(value)) };
    } catch (error) {
      return this.#unreadable(error, 'servicequotas', operation, `the limit of ${quota.name} (${quota.code})`);
    }
  }

  /** vCPUs of the region's running and pending On-Demand instances of the quota's families. */
  async #vcpusInUse(quota: OnDemandQuota): Promise<Read> {
    const counted: Instance[] = [];
    try {
      const pages = paginateDescribeInstances(
        { client: this.#client, pageSize: this.#pageSize },
        { Filters: [{ Name: 'instance-state-name', Values: QUOTA_STATES }] },
      );
      for await (const page of pages) {
        const instances = (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
        counted.push(...instances.filter((instance) => countsAgainst(instance, quota.code)));
      }
    } catch (error) {
      return this.#unreadable(error, 'ec2', 'DescribeInstances', `the vCPUs in use against ${quota.name}`);
    }
    let defaults: VmSizeInfo[];
    try {
      defaults = await this.describeSizes(typesWithoutCpuOptions(counted));
    } catch (error) {
      return this.#unreadable(error, 'ec2', 'DescribeInstanceTypes', `the vCPUs in use against ${quota.name}`);
    }
    const { vcpus, untold } = vcpusInUse(counted, new Map(defaults.map((size) => [size.name, size.vcpus])));
    if (untold.length > 0) {
      return {
        ok: false,
        state: 'unknown',
        detail: `EC2 did not describe instance types ${untold.join(', ')} running in ${this.#region}, so the vCPUs in use against ${quota.name} cannot be told.`,
      };
    }
    return { ok: true, value: vcpus };
  }

  /** A failed read as a reading's state: a refused permission is named; anything else is unknown. */
  #unreadable(error: unknown, service: AwsService, operation: string, what: string): Read {
    const failure = this.#fail(error, operation, what, service);
    const refused = failure.code === 'permission' || (failure.httpStatus === 403 && failure.code !== 'auth');
    if (refused) {
      const permission = `${service}:${operation}`;
      return {
        ok: false,
        state: 'not-permitted',
        permission,
        detail: `The AWS credentials in ${this.#credentialsSource} may not call ${permission}, so ${what} in ${this.#region} cannot be read. Grant that permission to the IAM user.`,
      };
    }
    return { ok: false, state: 'unknown', detail: failure.message };
  }

  async #describeInstance(instanceId: string): Promise<Instance | undefined> {
    try {
      const output = await this.#client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = output.Reservations?.flatMap((reservation) => reservation.Instances ?? [])[0];
      if (!instance)
        throw new CloudNotFoundError(`AWS found no instance ${instanceId} in region ${this.#region}.`, {
          provider: 'aws',
        });
      return instance;
    } catch (error) {
      throw this.#fail(error, 'DescribeInstances', `instance ${instanceId}`);
    }
  }

  async discoverPortRules(workerProviderId: string): Promise<AwsPortRuleDiscovery> {
    const workerInstanceId = instanceIdFromProviderId(workerProviderId);
    const instance = await this.#describeInstance(workerInstanceId);
    const workerGroupIds = [
      ...new Set((instance?.SecurityGroups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : []))),
    ];
    if (workerGroupIds.length === 0) {
      throw new CloudNotFoundError(
        `Worker instance ${workerInstanceId} has no security group in region ${this.#region}.`,
        {
          provider: 'aws',
          operation: 'DescribeInstances',
        },
      );
    }
    // The adaptor gives pod VMs the groups of AWS_SG_IDS, or else (IMDS) those of its own node.
    const configured = this.#podVmGroupIds.length > 0;
    const podVmGroupIds = configured ? this.#podVmGroupIds : workerGroupIds;
    const groupIds = [...new Set([...podVmGroupIds, ...workerGroupIds])];
    let groups;
    try {
      groups = await this.#client.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds }));
    } catch (error) {
      if (configured && awsErrorCode(error) === 'InvalidGroup.NotFound') {
        throw new CloudConfigError(
          `AWS_SG_IDS in peer-pods-cm names a security group that region ${this.#region} does not have (${podVmGroupIds.join(', ')}). Set it to the pod VMs’ security groups, or remove it to use the worker’s.`,
          { provider: 'aws', operation: 'DescribeSecurityGroups', cloudCode: 'InvalidGroup.NotFound' },
        );
      }
      throw this.#fail(error, 'DescribeSecurityGroups', `security groups ${groupIds.join(', ')}`);
    }
    const byId = new Map((groups.SecurityGroups ?? []).map((group) => [group.GroupId, group]));
    return {
      provider: 'aws',
      workerProviderId,
      region: this.#region,
      workerInstanceId,
      workerGroupIds,
      podVmGroupIds,
      podVmGroupSource: configured ? 'AWS_SG_IDS' : 'worker',
      securityGroups: groupIds.map((groupId) => {
        const group = byId.get(groupId);
        return {
          groupId,
          groupName: group?.GroupName,
          vpcId: group?.VpcId,
          ingress: ingressRules(group?.IpPermissions),
        };
      }),
    };
  }

  planPortRules(discovery: PortRuleDiscovery, options: PortRuleOptions): PortRulePlan {
    if (discovery.provider !== 'aws')
      throw new CloudConflictError('This plan needs an AWS discovery.', { provider: 'aws' });
    return planAwsPortRules(discovery, options);
  }

  #authorizeCommand(rule: PlannedPortRule, dryRun: boolean): AuthorizeSecurityGroupIngressCommand {
    const target = rule.aws;
    if (!target)
      throw new CloudConflictError('The plan has an AWS rule without its security group.', { provider: 'aws' });
    return new AuthorizeSecurityGroupIngressCommand({
      DryRun: dryRun,
      GroupId: target.groupId,
      IpPermissions: [
        {
          IpProtocol: rule.protocol,
          FromPort: rule.port,
          ToPort: rule.port,
          UserIdGroupPairs: [{ GroupId: target.sourceGroupId }],
        },
      ],
    });
  }

  /** DryRun=true answers DryRunOperation when the call would be allowed and UnauthorizedOperation when not. */
  async #checkPermission(rule: PlannedPortRule, context: ChangeContext): Promise<void> {
    try {
      await this.#client.send(this.#authorizeCommand(rule, true));
    } catch (error) {
      if (awsErrorCode(error) === 'DryRunOperation') return;
      const failure = this.#fail(error, 'AuthorizeSecurityGroupIngress', `security group ${rule.targetId}`);
      context.audit({
        user: context.actor,
        action: 'port-rule.permission-check',
        provider: 'aws',
        cloudIds: [rule.targetId],
        result: 'failed',
        message: failure.message,
        errorCode: failure.code,
      });
      throw failure;
    }
    throw new CloudConflictError(
      `The permission check (DryRun) for security group ${rule.targetId} did not answer as EC2 does; nothing was changed.`,
      { provider: 'aws', operation: 'AuthorizeSecurityGroupIngress' },
    );
  }

  async applyPortRules(plan: PortRulePlan, context: ChangeContext): Promise<PortRuleApplyResult> {
    if (plan.provider !== 'aws') throw new CloudConflictError('This plan is not an AWS plan.', { provider: 'aws' });
    const result: PortRuleApplyResult = { rules: [] };
    const changes = plan.rules.filter((rule) => rule.action !== 'none');
    const checkedGroups = new Set<string>();
    for (const rule of changes) {
      if (checkedGroups.has(rule.targetId)) continue;
      checkedGroups.add(rule.targetId);
      await this.#checkPermission(rule, context);
    }
    let done = 0;
    for (const rule of plan.rules) {
      if (rule.action === 'none') {
        result.rules.push({ key: rule.key, targetId: rule.targetId, sourceId: rule.sourceId, outcome: 'unchanged' });
        continue;
      }
      const description = `${rule.protocol.toUpperCase()} ${rule.port} from ${rule.aws?.sourceGroupId} into ${rule.targetId}`;
      try {
        const output = await this.#client.send(this.#authorizeCommand(rule, false));
        const ruleId = output.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
        result.rules.push({
          key: rule.key,
          targetId: rule.targetId,
          sourceId: rule.sourceId,
          outcome: 'created',
          cloudId: ruleId,
        });
        context.audit({
          user: context.actor,
          action: 'port-rule.create',
          provider: 'aws',
          cloudIds: ruleId ? [rule.targetId, ruleId] : [rule.targetId],
          result: 'succeeded',
          message: `Allowed ${description}.`,
        });
        this.#logger.info(
          { groupId: rule.targetId, ruleId, port: rule.port, protocol: rule.protocol, user: context.actor },
          'authorized ingress',
        );
      } catch (error) {
        if (awsErrorCode(error) === 'InvalidPermission.Duplicate') {
          result.rules.push({
            key: rule.key,
            targetId: rule.targetId,
            sourceId: rule.sourceId,
            outcome: 'already-present',
          });
          context.audit({
            user: context.actor,
            action: 'port-rule.create',
            provider: 'aws',
            cloudIds: [rule.targetId],
            result: 'already-done',
            message: `${description} was already allowed.`,
          });
        } else {
          const failure = this.#fail(error, 'AuthorizeSecurityGroupIngress', `security group ${rule.targetId}`);
          context.audit({
            user: context.actor,
            action: 'port-rule.create',
            provider: 'aws',
            cloudIds: [rule.targetId],
            result: 'failed',
            message: failure.message,
            errorCode: failure.code,
          });
          throw failure;
        }
      }
      done += 1;
      context.onProgress?.({ step: 'apply-port-rules', done, total: changes.length });
    }
    return result;
  }

  async verifyPortRules(plan: PortRulePlan): Promise<PortRuleVerification> {
    const fresh = planAwsPortRules(await this.discoverPortRules(plan.discovery.workerProviderId), plan.options);
    const rules = plan.rules.map((planned) => {
      const now = fresh.rules.find(
        (rule) => rule.key === planned.key && rule.targetId === planned.targetId && rule.sourceId === planned.sourceId,
      );
      return {
        key: planned.key,
        targetId: planned.targetId,
        sourceId: planned.sourceId,
        status: now?.status ?? 'missing',
        detail:
          now?.detail ??
          `${planned.targetId} (with source ${planned.sourceId ?? planned.targetId}) is no longer among the worker’s and the pod VMs’ security groups.`,
      };
    });
    return { ok: rules.every((rule) => rule.status === 'present'), rules };
  }
}
