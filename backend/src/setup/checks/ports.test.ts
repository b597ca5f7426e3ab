import { describe, expect, it } from 'vitest';
import type { PortRulesReport } from '@peer-pods-console/contract';
import { checkPorts } from './ports.ts';

function report(
  states: ['present' | 'missing' | 'conflicting', 'present' | 'missing' | 'conflicting'],
): PortRulesReport {
  const rule = (port: number, description: string, state: (typeof states)[number]) => ({
    id: `tcp-${port}/sg-1`,
    description,
    protocol: 'tcp' as const,
    port,
    state,
    detail: '',
    name: null,
    priority: null,
  });
  return {
    platform: 'aws',
    target: { region: 'us-east-1' },
    rules: [rule(15150, 'kata-agent', states[0]), rule(9000, 'VXLAN tunnel', states[1])],
    commands: [],
    notes: [],
    canApply: states.some((s) => s !== 'present'),
  };
}

describe('checkPorts', () => {
  it('passes when 15150 and the VXLAN port are open', () => {
    expect(checkPorts({ report: report(['present', 'present']) })).toMatchObject({
      status: 'pass',
      found: { message: 'Open: TCP 15150, TCP 9000.' },
      fix: null,
    });
  });

  it('fails when a port is missing, offering the port wizard', () => {
    expect(checkPorts({ report: report(['present', 'missing']) })).toEqual({
      status: 'fail',
      found: expect.objectContaining({ message: 'Not open yet: TCP 9000 (VXLAN tunnel).' }),
      fix: { kind: 'action', action: 'open-port-wizard' },
    });
  });

  it('names a missing port once, though it is missing in both directions between two security groups', () => {
    const both = report(['present', 'missing']);
    const vxlan = both.rules[1]!;
    both.rules = [
      both.rules[0]!,
      { ...vxlan, id: 'vxlan/sg-pods/sg-workers' },
      { ...vxlan, id: 'vxlan/sg-workers/sg-pods' },
    ];
    expect(checkPorts({ report: both }).found.message).toBe('Not open yet: TCP 9000 (VXLAN tunnel).');
  });

  it('warns with the cloud’s message when the cloud cannot be asked', () => {
    expect(checkPorts({ error: 'EC2 DescribeInstances: AuthFailure' })).toMatchObject({
      status: 'warning',
      found: { message: 'Could not read the port rules from the cloud: EC2 DescribeInstances: AuthFailure' },
    });
  });
});
