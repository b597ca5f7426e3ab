import { describe, expect, it } from 'vitest';
import type { AwsPortRuleDiscovery, AwsSecurityGroup } from '../provider.ts';
import { instanceIdFromProviderId, planAwsPortRules } from './port-rules.ts';

function discovery(...groups: AwsSecurityGroup[]): AwsPortRuleDiscovery {
  return {
    provider: 'aws',
    workerProviderId: 'aws:///us-east-2a/i-0abc',
    region: 'us-east-2',
    workerInstanceId: 'i-0abc',
    securityGroups: groups,
  };
}

const options = { vxlanPort: 9000, includeUdp: false };

describe('instanceIdFromProviderId', () => {
  it('takes the last path segment of an AWS providerID', () => {
    expect(instanceIdFromProviderId('aws:///us-east-2a/i-0abc123')).toBe('i-0abc123');
  });

  it('rejects a providerID of another platform', () => {
    expect(() => instanceIdFromProviderId('azure:///subscriptions/x/virtualMachines/w')).toThrow(/not an AWS instance/);
  });
});

describe('planAwsPortRules', () => {
  it('plans tcp 15150 and tcp 9000 from the group itself, with the equivalent aws commands', () => {
    const plan = planAwsPortRules(discovery({ groupId: 'sg-1', ingress: [] }), options);
    expect(plan.rules.map((rule) => [rule.key, rule.protocol, rule.port, rule.status, rule.action])).toEqual([
      ['kata-agent', 'tcp', 15150, 'missing', 'create'],
      ['vxlan', 'tcp', 9000, 'missing', 'create'],
    ]);
    expect(plan.commands).toEqual([
      'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-1 --protocol tcp --port 15150 --source-group sg-1',
      'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-1 --protocol tcp --port 9000 --source-group sg-1',
    ]);
    expect(plan.upToDate).toBe(false);
  });

  it('counts a rule as present when a port range or an all-traffic rule from the same group covers it', () => {
    const plan = planAwsPortRules(
      discovery(
        {
          groupId: 'sg-1',
          ingress: [{ protocol: 'tcp', fromPort: 9000, toPort: 9999, sourceGroupIds: ['sg-1'], cidrs: [] }],
        },
        { groupId: 'sg-2', ingress: [{ protocol: '-1', sourceGroupIds: ['sg-2'], cidrs: [] }] },
      ),
      options,
    );
    expect(plan.rules.map((rule) => `${rule.targetId}:${rule.key}:${rule.status}`)).toEqual([
      'sg-1:kata-agent:missing',
      'sg-1:vxlan:present',
      'sg-2:kata-agent:present',
      'sg-2:vxlan:present',
    ]);
    expect(plan.notes[0]).toContain('2 security groups');
  });

  it('does not count a rule whose source is another group or a CIDR', () => {
    const plan = planAwsPortRules(
      discovery({
        groupId: 'sg-1',
        ingress: [
          { protocol: 'tcp', fromPort: 15150, toPort: 15150, sourceGroupIds: ['sg-9'], cidrs: [] },
          { protocol: 'tcp', fromPort: 9000, toPort: 9000, sourceGroupIds: [], cidrs: ['10.0.0.0/16'] },
        ],
      }),
      options,
    );
    expect(plan.rules.every((rule) => rule.status === 'missing')).toBe(true);
  });

  it('adds UDP for the VXLAN port when asked', () => {
    const plan = planAwsPortRules(discovery({ groupId: 'sg-1', ingress: [] }), { vxlanPort: 4789, includeUdp: true });
    expect(plan.rules.map((rule) => `${rule.protocol}/${rule.port}`)).toEqual(['tcp/15150', 'tcp/4789', 'udp/4789']);
    expect(plan.commands[2]).toContain('--protocol udp --port 4789');
  });
});
