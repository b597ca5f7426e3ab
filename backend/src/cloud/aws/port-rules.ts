// AWS port rules, pure: for every security group of the worker instance, an ingress rule per
// required port whose source is that same group (SPEC "Ports that must be open", AWS steps 4-5).
import { CloudConfigError } from '../errors.ts';
import { requiredPortRules, shellQuote } from '../port-rules.ts';
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

export function authorizeIngressCommand(region: string, groupId: string, rule: RequiredPortRule): string {
  return [
    'aws ec2 authorize-security-group-ingress',
    `--region ${shellQuote(region)}`,
    `--group-id ${shellQuote(groupId)}`,
    `--protocol ${rule.protocol}`,
    `--port ${rule.port}`,
    `--source-group ${shellQuote(groupId)}`,
  ].join(' ');
}

export function planAwsPortRules(discovery: AwsPortRuleDiscovery, options: PortRuleOptions): PortRulePlan {
  const required = requiredPortRules(options);
  const rules: PlannedPortRule[] = [];
  const notes: string[] = [];
  if (discovery.securityGroups.length > 1) {
    notes.push(
      `Worker instance ${discovery.workerInstanceId} has ${discovery.securityGroups.length} security groups; each one gets the rules, with itself as the source.`,
    );
  }
  for (const group of discovery.securityGroups) {
    for (const rule of required) {
      const present = group.ingress.some((existing) => ingressCovers(existing, rule, group.groupId));
      const label = `${rule.protocol.toUpperCase()} ${rule.port} (${rule.purpose})`;
      rules.push({
        ...rule,
        targetId: group.groupId,
        status: present ? 'present' : 'missing',
        action: present ? 'none' : 'create',
        detail: present
          ? `${group.groupId} already allows ${label} from itself.`
          : `${group.groupId} does not allow ${label} from itself; an ingress rule will be added.`,
        command: present ? undefined : authorizeIngressCommand(discovery.region, group.groupId, rule),
        aws: { region: discovery.region, groupId: group.groupId, sourceGroupId: group.groupId },
      });
    }
  }
  const commands = rules.flatMap((rule) => (rule.command ? [rule.command] : []));
  return { provider: 'aws', options, discovery, rules, commands, notes, upToDate: commands.length === 0 };
}
