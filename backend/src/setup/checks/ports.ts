// The ports peer pods need between worker nodes and pod VMs (15150/TCP for the agent, the VXLAN
// port for the tunnel) must be open in the cloud. Reads the port-rules service's report; a
// cloud that cannot be asked is a warning with its message, not a failure of the cluster.
import type { PortRulesReport } from '@peer-pods-console/contract';
import { action, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';

export type PortsInput = { report: PortRulesReport } | { error: string };

function ruleText(rule: PortRulesReport['rules'][number]): string {
  return `${rule.protocol.toUpperCase()} ${rule.port} (${rule.description})`;
}

export function checkPorts(input: PortsInput): CheckOutcome {
  if ('error' in input) return warning('portsUnknown', { error: input.error }, action('open-port-wizard'));
  const { rules } = input.report;
  // The same port in several groups (both ways between the pod VMs' groups and the worker's) is
  // one item for the reader; the wizard names each group.
  const missing = [...new Set(rules.filter((r) => r.state === 'missing').map(ruleText))];
  if (missing.length > 0) return fail('portsMissing', { rules: listOf(missing) }, action('open-port-wizard'));
  const conflicting = [...new Set(rules.filter((r) => r.state === 'conflicting').map(ruleText))];
  if (conflicting.length > 0) {
    return warning('portsConflicting', { rules: listOf(conflicting) }, action('open-port-wizard'));
  }
  const open = [...new Set(rules.map((r) => `${r.protocol.toUpperCase()} ${r.port}`))];
  return pass('portsOpen', { rules: open.join(', ') });
}
