// AWS port rules, pure: ingress rules per required port between the worker's security groups and
// the pod VMs' (AWS_SG_IDS, or the worker's own when unset). A group both share allows each port
// from itself (SPEC "Ports that must be open", AWS steps 4-5).
import { CloudConfigError } from '../errors.ts';
import { infrastructureFieldCommand, NODE_PROVIDER_IDS_COMMAND, requiredPortRules, shellQuote } from '../port-rules.ts';
import type {
  AwsIngressRule,
  AwsPortRuleDiscovery,
  PlannedPortRule,
  PortRuleOptions,
  PortRulePlan,
  RequiredPortRule,
} from '../provider.ts';

/** `aws:///us-east-2a/i-0abc` → `i-0abc` (the last path segment). */
export function instanceIdFromProviderId(providerId: string): string {
  const trimmed = providerId.trim();
  const instanceId = trimmed.split('/').pop() ?? '';
  if (!trimmed.startsWith('aws://') || !/^i-[0-9a-zA-Z]+$/.test(instanceId)) {
    throw new CloudConfigError(
      'The worker node’s spec.providerID is not an AWS instance reference (aws:///<zone>/i-…); pick a worker node that runs on AWS.',
    );
  }
  return instanceId;
}

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17' };

/** Whether an existing ingress rule already lets `rule` in from `sourceGroupId`. */
export function ingressCovers(existing: AwsIngressRule, rule: RequiredPortRule, sourceGroupId: string): boolean {
  if (!existing.sourceGroupIds.includes(sourceGroupId)) return false;
  const protocol = existing.protocol.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== rule.protocol && protocol !== PROTOCOL_NUMBERS[rule.protocol]) return false;
  const from = existing.fromPort ?? -1;
  const to = existing.toPort ?? -1;
  return from <= rule.port && rule.port <= to;
}

export function authorizeIngressCommand(
  region: string,
  groupId: string,
  rule: RequiredPortRule,
  sourceGroupId = groupId,
): string {
  return [
    'aws ec2 authorize-security-group-ingress',
    `--region ${shellQuote(region)}`,
    `--group-id ${shellQuote(groupId)}`,
    `--protocol ${rule.protocol}`,
    `--port ${rule.port}`,
    `--source-group ${shellQuote(sourceGroupId)}`,
  ].join(' ');
}

/**
 * The look-ups an admin runs before the documented commands (AWS steps 1-3: the worker instance,
 * the region, the instance's security groups), with what discovery found filled in, then the
 * ingress rules those groups hold now.
 */
export function awsDiscoveryCommands(discovery: AwsPortRuleDiscovery): string[] {
  const region = `--region ${shellQuote(discovery.region)}`;
  const groups = [...new Set([...discovery.workerGroupIds, ...discovery.podVmGroupIds])];
  return [
    NODE_PROVIDER_IDS_COMMAND,
    infrastructureFieldCommand('.status.platformStatus.aws.region'),
    [
      'aws ec2 describe-instances',
      region,
      `--instance-ids ${shellQuote(discovery.workerInstanceId)}`,
      `--query ${shellQuote('Reservations[].Instances[].SecurityGroups[].GroupId')}`,
      '--output text',
    ].join(' '),
    [
      'aws ec2 describe-security-groups',
      region,
      `--group-ids ${groups.map(shellQuote).join(' ')}`,
      `--query ${shellQuote('SecurityGroups[].{GroupId:GroupId,IpPermissions:IpPermissions}')}`,
    ].join(' '),
  ];
}

function plannedRule(
  region: string,
  rule: RequiredPortRule,
  targetId: string,
  sourceId: string,
  present: boolean,
): PlannedPortRule {
  const label = `${rule.protocol.toUpperCase()} ${rule.port} (${rule.purpose})`;
  const from = sourceId === targetId ? 'itself' : sourceId;
  return {
    ...rule,
    targetId,
    sourceId: sourceId === targetId ? undefined : sourceId,
    status: present ? 'present' : 'missing',
    action: present ? 'none' : 'create',
    detail: present
      ? `${targetId} already allows ${label} from ${from}.`
      : `${targetId} does not allow ${label} from ${from}; an ingress rule will be added.`,
    command: present ? undefined : authorizeIngressCommand(region, targetId, rule, sourceId),
    aws: { region, groupId: targetId, sourceGroupId: sourceId },
  };
}

/** Which groups the plan checked, and why those. */
function groupNotes(discovery: AwsPortRuleDiscovery, shared: string[]): string[] {
  const { podVmGroupIds, workerGroupIds, workerInstanceId } = discovery;
  const notes = [
    discovery.podVmGroupSource === 'AWS_SG_IDS'
      ? `Pod VMs get the security groups in AWS_SG_IDS of peer-pods-cm (${podVmGroupIds.join(', ')}); worker instance ${workerInstanceId} has ${workerGroupIds.join(', ')}.`
      : `AWS_SG_IDS is unset in peer-pods-cm, so pod VMs get the security groups of the worker they start from, as the cloud-api-adaptor reads them from its node (${workerGroupIds.join(', ')}).`,
  ];
  if (shared.length > 1) {
    notes.push(
      `Worker instance ${workerInstanceId} and the pod VMs share ${shared.length} security groups; each one gets the rules, with itself as the source.`,
    );
  } else if (shared.length === 0) {
    notes.push(
      'No security group of AWS_SG_IDS is also the worker’s: the pod VMs’ groups must let the worker’s groups in, and the worker’s groups the pod VMs’ VXLAN traffic back.',
    );
  }
  const vpcOf = new Map(discovery.securityGroups.map((group) => [group.groupId, group.vpcId]));
  const workerVpcs = new Set(workerGroupIds.map((id) => vpcOf.get(id)).filter(Boolean));
  for (const id of podVmGroupIds) {
    const vpc = vpcOf.get(id);
    if (vpc && workerVpcs.size > 0 && !workerVpcs.has(vpc)) {
      notes.push(
        `${id} is in ${vpc}, not in the worker’s VPC; a rule naming a group of another VPC only works across a peering connection.`,
      );
    }
  }
  return notes;
}

/**
 * The rules between worker and pod VMs. Where the pod VMs share a security group with the worker
 * (AWS_SG_IDS unset, or naming a worker group), that group allows each port from itself, the
 * documented procedure. Otherwise the pod VMs' groups allow every port from the worker's groups,
 * and the worker's groups the VXLAN port from the pod VMs' (the tunnel runs both ways); an
 * instance gets the union of its groups' rules, so one group pair that allows a port is enough.
 */
export function planAwsPortRules(discovery: AwsPortRuleDiscovery, options: PortRuleOptions): PortRulePlan {
  const required = requiredPortRules(options);
  const ingressOf = new Map(discovery.securityGroups.map((group) => [group.groupId, group.ingress]));
  const allows = (targetId: string, sourceId: string, rule: RequiredPortRule) =>
    (ingressOf.get(targetId) ?? []).some((existing) => ingressCovers(existing, rule, sourceId));
  const shared = discovery.podVmGroupIds.filter((id) => discovery.workerGroupIds.includes(id));
  const rules: PlannedPortRule[] = [];
  if (shared.length > 0) {
    for (const groupId of shared) {
      for (const rule of required)
        rules.push(plannedRule(discovery.region, rule, groupId, groupId, allows(groupId, groupId, rule)));
    }
  } else {
    const between = (targets: string[], sources: string[], rule: RequiredPortRule): PlannedPortRule | undefined => {
      for (const targetId of targets) {
        const sourceId = sources.find((source) => allows(targetId, source, rule));
        if (sourceId) return plannedRule(discovery.region, rule, targetId, sourceId, true);
      }
      const [targetId, sourceId] = [targets[0], sources[0]];
      return targetId && sourceId ? plannedRule(discovery.region, rule, targetId, sourceId, false) : undefined;
    };
    for (const rule of required) {
      const planned = between(discovery.podVmGroupIds, discovery.workerGroupIds, rule);
      if (planned) rules.push(planned);
    }
    for (const rule of required.filter((candidate) => candidate.key !== 'kata-agent')) {
      const planned = between(discovery.workerGroupIds, discovery.podVmGroupIds, rule);
      if (planned) rules.push(planned);
    }
  }
  const commands = rules.flatMap((rule) => (rule.command ? [rule.command] : []));
  const notes = groupNotes(discovery, shared);
  return { provider: 'aws', options, discovery, rules, commands, notes, upToDate: commands.length === 0 };
}
