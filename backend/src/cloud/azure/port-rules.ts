// Azure port rules, pure: NSG rules Allow-Kata-Agent-Internal (priority 112, port 15150) and
// Allow-VXLAN-Internal (priority 111, VXLAN_PORT): Allow, Tcp, Inbound, source and destination =
// the worker subnet's prefix, source port * (SPEC "Ports that must be open", Azure steps 7-8).
// A priority already used by another inbound rule moves to the next free one, and the plan says so.
import { CloudConfigError } from '../errors.ts';
import {
  infrastructureFieldCommand,
  NODE_PROVIDER_IDS_COMMAND,
  portRangeCovers,
  requiredPortRules,
  shellQuote,
} from '../port-rules.ts';
import type {
  AzureNsgRule,
  AzurePortRuleDiscovery,
  PlannedPortRule,
  PortRuleKey,
  PortRuleOptions,
  PortRulePlan,
  PortRuleStatus,
  RequiredPortRule,
} from '../provider.ts';

export const AZURE_RULES: Record<PortRuleKey, { name: string; priority: number }> = {
  'kata-agent': { name: 'Allow-Kata-Agent-Internal', priority: 112 },
  vxlan: { name: 'Allow-VXLAN-Internal', priority: 111 },
  // Not in the SPEC (it opens TCP only); the optional UDP rule sits right after the two.
  'vxlan-udp': { name: 'Allow-VXLAN-UDP-Internal', priority: 113 },
};

const MAX_PRIORITY = 4096;

export interface AzureVmReference {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** `azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>` */
export function vmFromProviderId(providerId: string): AzureVmReference {
  const match =
    /^azure:\/\/\/?subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)$/i.exec(
      providerId.trim(),
    );
  if (!match || !match[1] || !match[2] || !match[3]) {
    throw new CloudConfigError(
      'The worker node’s spec.providerID is not an Azure VM reference (azure:///subscriptions/…/virtualMachines/<name>); pick a worker node that runs on Azure.',
    );
  }
  return { subscriptionId: match[1], resourceGroup: match[2], name: match[3] };
}

/** The resource group named in an ARM resource id. */
export function resourceGroupOf(resourceId: string): string | undefined {
  return /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1];
}

/**
 * The look-ups an admin runs before the documented commands (Azure steps 1-6: the worker VM, the
 * resource group, its NSG and VNet, the worker subnet's prefix), with what discovery found filled
 * in, then the rules the NSG holds now.
 */
export function azureDiscoveryCommands(discovery: AzurePortRuleDiscovery): string[] {
  const group = `--resource-group ${shellQuote(discovery.resourceGroup)}`;
  // The worker VM may sit in another resource group than the network.
  const vmGroup = resourceGroupOf(discovery.workerProviderId) ?? discovery.resourceGroup;
  return [
    NODE_PROVIDER_IDS_COMMAND,
    infrastructureFieldCommand('.status.platformStatus.azure.resourceGroupName'),
    `az vm show --resource-group ${shellQuote(vmGroup)} --name ${shellQuote(discovery.workerVmName)} --query id --output tsv`,
    `az network nsg list ${group} --query ${shellQuote('[].name')} --output tsv`,
    `az network vnet list ${group} --query ${shellQuote('[].name')} --output tsv`,
    [
      'az network vnet subnet show',
      group,
      `--vnet-name ${shellQuote(discovery.vnet.name)}`,
      `--name ${shellQuote(discovery.subnet.name)}`,
      '--query addressPrefix --output tsv',
    ].join(' '),
    `az network nsg rule list ${group} --nsg-name ${shellQuote(discovery.nsg.name)} --output table`,
  ];
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** Whether CIDR `outer` contains CIDR (or address) `inner`; IPv4 only. */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerAddress = '', outerBits = '32'] = outer.split('/');
  const [innerAddress = '', innerBits = '32'] = inner.split('/');
  const a = ipv4ToNumber(outerAddress);
  const b = ipv4ToNumber(innerAddress);
  const outerLength = Number(outerBits);
  const innerLength = Number(innerBits);
  if (a === undefined || b === undefined || !(outerLength >= 0 && outerLength <= 32) || innerLength < outerLength)
    return false;
  const size = 2 ** (32 - outerLength);
  return Math.floor(a / size) === Math.floor(b / size);
}

function prefixesCover(prefixes: string[], subnetPrefix: string): boolean {
  return prefixes.some((prefix) => {
    const value = prefix.trim();
    if (value === '*' || value.toLowerCase() === 'any' || value === 'VirtualNetwork') return true;
    return value === subnetPrefix || cidrContains(value, subnetPrefix);
  });
}

function protocolCovers(ruleProtocol: string | undefined, protocol: 'tcp' | 'udp'): boolean {
  const value = (ruleProtocol ?? '').toLowerCase();
  return value === '*' || value === protocol;
}

/** Whether an NSG rule (allow or deny) matches the subnet-internal traffic of a required rule. */
export function ruleMatchesTraffic(rule: AzureNsgRule, required: RequiredPortRule, subnetPrefix: string): boolean {
  return (
    (rule.direction ?? '').toLowerCase() === 'inbound' &&
    protocolCovers(rule.protocol, required.protocol) &&
    prefixesCover(rule.sourceAddressPrefixes, subnetPrefix) &&
    prefixesCover(rule.destinationAddressPrefixes, subnetPrefix) &&
    rule.sourcePortRanges.some((range) => range.trim() === '*') &&
    rule.destinationPortRanges.some((range) => portRangeCovers(range, required.port))
  );
}

/** Whether our named rule has exactly the SPEC's settings (so nothing needs updating). */
export function ruleHasSpecSettings(rule: AzureNsgRule, required: RequiredPortRule, subnetPrefix: string): boolean {
  return (
    (rule.access ?? '').toLowerCase() === 'allow' &&
    (rule.direction ?? '').toLowerCase() === 'inbound' &&
    (rule.protocol ?? '').toLowerCase() === required.protocol &&
    rule.sourceAddressPrefixes.length === 1 &&
    rule.sourceAddressPrefixes[0] === subnetPrefix &&
    rule.destinationAddressPrefixes.length === 1 &&
    rule.destinationAddressPrefixes[0] === subnetPrefix &&
    rule.sourcePortRanges.length === 1 &&
    rule.sourcePortRanges[0] === '*' &&
    rule.destinationPortRanges.length === 1 &&
    rule.destinationPortRanges[0] === String(required.port)
  );
}

export function nsgRuleCreateCommand(input: {
  resourceGroup: string;
  nsgName: string;
  ruleName: string;
  priority: number;
  protocol: 'tcp' | 'udp';
  prefix: string;
  port: number;
}): string {
  return [
    'az network nsg rule create',
    `--resource-group ${shellQuote(input.resourceGroup)}`,
    `--nsg-name ${shellQuote(input.nsgName)}`,
    `--name ${shellQuote(input.ruleName)}`,
    `--priority ${input.priority}`,
    '--access Allow',
    `--protocol ${input.protocol === 'tcp' ? 'Tcp' : 'Udp'}`,
    '--direction Inbound',
    `--source-address-prefixes ${shellQuote(input.prefix)}`,
    `--source-port-ranges '*'`,
    `--destination-address-prefixes ${shellQuote(input.prefix)}`,
    `--destination-port-ranges ${input.port}`,
  ].join(' ');
}

export function planAzurePortRules(discovery: AzurePortRuleDiscovery, options: PortRuleOptions): PortRulePlan {
  const required = requiredPortRules(options);
  const prefix = discovery.subnet.addressPrefix;
  const notes: string[] = [];
  const existingByName = new Map(discovery.nsg.rules.map((rule) => [rule.name.toLowerCase(), rule]));
  const ourNames = new Set(required.map((rule) => AZURE_RULES[rule.key].name.toLowerCase()));

  // Inbound priorities held by rules we will not touch.
  const taken = new Map<number, string>();
  for (const rule of discovery.nsg.rules) {
    if ((rule.direction ?? '').toLowerCase() !== 'inbound' || rule.priority === undefined) continue;
    if (ourNames.has(rule.name.toLowerCase())) continue;
    taken.set(rule.priority, rule.name);
  }

  interface Draft {
    required: RequiredPortRule;
    existing?: AzureNsgRule;
    status: PortRuleStatus;
    action: 'none' | 'create' | 'update';
    priority?: number;
    why: string[];
  }
  const drafts: Draft[] = required.map((rule) => {
    const spec = AZURE_RULES[rule.key];
    const existing = existingByName.get(spec.name.toLowerCase());
    const why: string[] = [];
    let status: PortRuleStatus;
    let action: Draft['action'];
    if (!existing) {
      status = 'missing';
      action = 'create';
    } else if (ruleHasSpecSettings(existing, rule, prefix)) {
      status = 'present';
      action = 'none';
    } else {
      status = 'conflicting';
      action = 'update';
      why.push(`rule ${spec.name} exists with other settings and will be set to the required ones`);
    }
    return { required: rule, existing, status, action, why };
  });

  // Priorities: a rule that exists keeps its own when it is still free; the SPEC's priority is
  // given to whoever asks for it first; the rest take the next free number above their own.
  const assigned = new Set<number>();
  const isFree = (priority: number) => !taken.has(priority) && !assigned.has(priority);
  for (const draft of drafts) {
    const keep = draft.existing?.priority;
    if (keep !== undefined && (draft.existing?.direction ?? '').toLowerCase() === 'inbound' && isFree(keep)) {
      draft.priority = keep;
      assigned.add(keep);
    }
  }
  for (const draft of drafts) {
    if (draft.priority !== undefined) continue;
    const wanted = AZURE_RULES[draft.required.key].priority;
    if (isFree(wanted)) {
      draft.priority = wanted;
      assigned.add(wanted);
    }
  }
  for (const draft of drafts) {
    if (draft.priority !== undefined) continue;
    const wanted = AZURE_RULES[draft.required.key].priority;
    let candidate = wanted + 1;
    while (candidate <= MAX_PRIORITY && !isFree(candidate)) candidate += 1;
    if (candidate > MAX_PRIORITY) {
      throw new CloudConfigError(
        `NSG ${discovery.nsg.name} has no free inbound priority from ${wanted} to ${MAX_PRIORITY} for ${AZURE_RULES[draft.required.key].name}.`,
      );
    }
    draft.priority = candidate;
    assigned.add(candidate);
    const holder = taken.get(wanted) ?? 'another rule of this plan';
    notes.push(
      `Priority ${wanted} of NSG ${discovery.nsg.name} is used by ${holder}; ${AZURE_RULES[draft.required.key].name} will use priority ${candidate} instead.`,
    );
    if (draft.action === 'none') {
      draft.action = 'update';
      draft.status = 'conflicting';
    }
  }

  const rules: PlannedPortRule[] = drafts.map((draft) => {
    const spec = AZURE_RULES[draft.required.key];
    const priority = draft.priority ?? spec.priority;
    // A deny rule that is evaluated first (lower number) would still block the traffic.
    const blocker = discovery.nsg.rules
      .filter(
        (rule) =>
          (rule.access ?? '').toLowerCase() === 'deny' &&
          rule.priority !== undefined &&
          rule.priority < priority &&
          ruleMatchesTraffic(rule, draft.required, prefix),
      )
      .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))[0];
    let status = draft.status;
    if (blocker) {
      status = 'conflicting';
      notes.push(
        `Deny rule ${blocker.name} (priority ${blocker.priority}) in NSG ${discovery.nsg.name} is evaluated before ${spec.name} and blocks ${draft.required.protocol.toUpperCase()} ${draft.required.port}; change or remove it yourself.`,
      );
    }
    const label = `${draft.required.protocol.toUpperCase()} ${draft.required.port} (${draft.required.purpose})`;
    const detail =
      draft.action === 'none'
        ? `${spec.name} (priority ${priority}) already allows ${label} within ${prefix}.`
        : draft.action === 'create'
          ? `${spec.name} is missing; it will allow ${label} within ${prefix} at priority ${priority}.`
          : `${spec.name} will be updated to allow ${label} within ${prefix} at priority ${priority} (${draft.why.join('; ') || 'its priority moves'}).`;
    return {
      ...draft.required,
      targetId: discovery.nsg.id,
      status,
      action: draft.action,
      detail: blocker ? `${detail} Deny rule ${blocker.name} is evaluated first.` : detail,
      command:
        draft.action === 'none'
          ? undefined
          : nsgRuleCreateCommand({
              resourceGroup: discovery.resourceGroup,
              nsgName: discovery.nsg.name,
              ruleName: spec.name,
              priority,
              protocol: draft.required.protocol,
              prefix,
              port: draft.required.port,
            }),
      azure: {
        resourceGroup: discovery.resourceGroup,
        nsgName: discovery.nsg.name,
        ruleName: spec.name,
        priority,
        requestedPriority: spec.priority,
        sourceAddressPrefix: prefix,
        destinationAddressPrefix: prefix,
      },
    };
  });

  const commands = rules.flatMap((rule) => (rule.command ? [rule.command] : []));
  return { provider: 'azure', options, discovery, rules, commands, notes, upToDate: commands.length === 0 };
}
