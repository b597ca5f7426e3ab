// The ports peer pods need between worker nodes and pod VMs (15150/TCP for the agent, the VXLAN
// port for the tunnel) must be open in the cloud. Reads the port-rules service's report; a
// cloud that cannot be asked is a warning with its message, not a failure of the cluster.
import type { PortRulesReport } from '../../api/contract.ts';
import { action, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';

export type PortsInput = { report: PortRulesReport } | { error: string };

function ruleText(rule: PortRulesReport['rules'][number]): string {
  return `${rule.protocol.toUpperCase()} ${rule.port} (${rule.description})`;
}

export function checkPorts(input: PortsInput): CheckOutcome {
  if ('error' in input) return warning('portsUnknown', { error: input.error }, action('open-port-wizard'));
  const { rules } = input.report;
  const missing = rules.filter((r) => r.state === 'missing');
  if (missing.length > 0)
    return fail('portsMissing', { rules: listOf(missing.map(ruleText)) }, action('open-port-wizard'));
  const conflicting = rules.filter((r) => r.state === 'conflicting');
  if (conflicting.length > 0) {
    return warning('portsConflicting', { rules: listOf(conflicting.map(ruleText)) }, action('open-port-wizard'));
  }
  // The same port opened on several security groups is one line for the reader.
  const open = [...new Set(rules.map((r) => `${r.protocol.toUpperCase()} ${r.port}`))];
  return pass('portsOpen', { rules: open.join(', ') });
}
