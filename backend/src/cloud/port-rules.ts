// The ports that must be open between worker nodes and pod VMs (SPEC "Ports that must be open"),
// shared by both clouds: which rules are required, and how to print a copyable shell command.
import { CloudConfigError } from './errors.ts';
import type { PortRuleOptions, RequiredPortRule } from './provider.ts';

/** The peer-pods shim reaches the kata-agent (agent protocol forwarder) in the VM on this port. */
export const KATA_AGENT_PORT = 15150;
/** The peer-pods tunnel (VXLAN_PORT in peer-pods-cm). */
export const DEFAULT_VXLAN_PORT = 9000;

export const DEFAULT_PORT_RULE_OPTIONS: PortRuleOptions = { vxlanPort: DEFAULT_VXLAN_PORT, includeUdp: false };

export function requiredPortRules(options: PortRuleOptions): RequiredPortRule[] {
  if (!Number.isInteger(options.vxlanPort) || options.vxlanPort < 1 || options.vxlanPort > 65535) {
    throw new CloudConfigError('The VXLAN port must be a whole number from 1 to 65535 (VXLAN_PORT in peer-pods-cm).');
  }
  if (options.vxlanPort === KATA_AGENT_PORT) {
    throw new CloudConfigError(
      `The VXLAN port must differ from the kata-agent port ${KATA_AGENT_PORT} (VXLAN_PORT in peer-pods-cm).`,
    );
  }
  const rules: RequiredPortRule[] = [
    {
      key: 'kata-agent',
      protocol: 'tcp',
      port: KATA_AGENT_PORT,
      purpose: 'the peer-pods shim reaching the kata-agent',
    },
    { key: 'vxlan', protocol: 'tcp', port: options.vxlanPort, purpose: 'the peer-pods tunnel' },
  ];
  if (options.includeUdp) {
    rules.push({ key: 'vxlan-udp', protocol: 'udp', port: options.vxlanPort, purpose: 'VXLAN traffic (UDP)' });
  }
  return rules;
}

/**
 * The procedure's first look-up on either cloud: each node's spec.providerID, where the worker's
 * instance (AWS) or VM (Azure) is named.
 */
export const NODE_PROVIDER_IDS_COMMAND =
  'oc get nodes -o custom-columns=NAME:.metadata.name,PROVIDER_ID:.spec.providerID';

/** Reads one field of infrastructure/cluster, e.g. `.status.platformStatus.aws.region`. */
export function infrastructureFieldCommand(field: string): string {
  return `oc get infrastructure cluster -o jsonpath=${shellQuote(`{${field}}`)}`;
}

/** Quotes a value for a POSIX shell when it needs quoting. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@,+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Whether a port range written as `*`, `N` or `A-B` contains a port. */
export function portRangeCovers(range: string, port: number): boolean {
  const text = range.trim();
  if (text === '*') return true;
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return false;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  return port >= from && port <= to;
}
