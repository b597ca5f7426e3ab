import { describe, expect, it } from 'vitest';
import type { AwsPortRuleDiscovery, AwsSecurityGroup } from '../provider.ts';
import { awsDiscoveryCommands, instanceIdFromProviderId, planAwsPortRules } from './port-rules.ts';

/** The worker in `groups`, AWS_SG_IDS unset: pod VMs get the worker's groups. */
function discovery(...groups: AwsSecurityGroup[]): AwsPortRuleDiscovery {
  const ids = groups.map((group) => group.groupId);
  return {
    provider: 'aws',
    workerProviderId: 'aws:///us-east-2a/i-0abc',
    region: 'us-east-2',
    workerInstanceId: 'i-0abc',
    workerGroupIds: ids,
    podVmGroupIds: ids,
    podVmGroupSource: 'worker',
    securityGroups: groups,
  };
}

/** AWS_SG_IDS names `podVm`, the worker is in `worker`. */
function withConfiguredGroups(podVm: AwsSecurityGroup[], worker: AwsSecurityGroup[]): AwsPortRuleDiscovery {
  return {
    ...discovery(...worker),
    podVmGroupIds: podVm.map((group) => group.groupId),
    podVmGroupSource: 'AWS_SG_IDS',
    securityGroups: [...podVm, ...worker.filter((group) => !podVm.some((pod) => pod.groupId === group.groupId))],
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

describe('awsDiscoveryCommands', () => {
  it('prints the instance, region and security group look-ups with the values found, then the groups’ rules', () => {
    expect(awsDiscoveryCommands(discovery({ groupId: 'sg-1', ingress: [] }))).toEqual([
      'oc get nodes -o custom-columns=NAME:.metadata.name,PROVIDER_ID:.spec.providerID',
      "oc get infrastructure cluster -o jsonpath='{.status.platformStatus.aws.region}'",
      "aws ec2 describe-instances --region us-east-2 --instance-ids i-0abc --query 'Reservations[].Instances[].SecurityGroups[].GroupId' --output text",
      "aws ec2 describe-security-groups --region us-east-2 --group-ids sg-1 --query 'SecurityGroups[].{GroupId:GroupId,IpPermissions:IpPermissions}'",
    ]);
  });

  it('describes the pod VMs’ groups from AWS_SG_IDS beside the worker’s, each once', () => {
    const commands = awsDiscoveryCommands(
      withConfiguredGroups(
        [
          { groupId: 'sg-pods', ingress: [] },
          { groupId: 'sg-workers', ingress: [] },
        ],
        [{ groupId: 'sg-workers', ingress: [] }],
      ),
    );
    expect(commands.at(-1)).toContain('--group-ids sg-workers sg-pods --query');
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
    expect(plan.notes[0]).toContain('AWS_SG_IDS is unset');
    expect(plan.notes[1]).toContain('2 security groups');
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

  describe('with AWS_SG_IDS', () => {
    const worker = (ingress: AwsSecurityGroup['ingress'] = []) => ({ groupId: 'sg-w', vpcId: 'vpc-1', ingress });
    const podVm = (ingress: AwsSecurityGroup['ingress'] = [], vpcId = 'vpc-1') => ({ groupId: 'sg-p', vpcId, ingress });

    it('lets the worker’s group into the pod VMs’ group for each port, and the VXLAN port back', () => {
      const plan = planAwsPortRules(withConfiguredGroups([podVm()], [worker()]), options);
      expect(plan.rules.map((rule) => [rule.key, rule.targetId, rule.sourceId, rule.status])).toEqual([
        ['kata-agent', 'sg-p', 'sg-w', 'missing'],
        ['vxlan', 'sg-p', 'sg-w', 'missing'],
        ['vxlan', 'sg-w', 'sg-p', 'missing'],
      ]);
      expect(plan.commands).toEqual([
        'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-p --protocol tcp --port 15150 --source-group sg-w',
        'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-p --protocol tcp --port 9000 --source-group sg-w',
        'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-w --protocol tcp --port 9000 --source-group sg-p',
      ]);
      expect(plan.rules[0]?.detail).toBe(
        'sg-p does not allow TCP 15150 (the peer-pods shim reaching the kata-agent) from sg-w; an ingress rule will be added.',
      );
      expect(plan.notes).toEqual([
        'Pod VMs get the security groups in AWS_SG_IDS of peer-pods-cm (sg-p); worker instance i-0abc has sg-w.',
        expect.stringContaining('No security group of AWS_SG_IDS is also the worker’s'),
      ]);
    });

    it('counts what the groups already allow', () => {
      const plan = planAwsPortRules(
        withConfiguredGroups(
          [podVm([{ protocol: '-1', sourceGroupIds: ['sg-w'], cidrs: [] }])],
          [worker([{ protocol: 'tcp', fromPort: 9000, toPort: 9000, sourceGroupIds: ['sg-p'], cidrs: [] }])],
        ),
        options,
      );
      expect(plan.upToDate).toBe(true);
      expect(plan.rules.map((rule) => rule.detail)).toEqual([
        'sg-p already allows TCP 15150 (the peer-pods shim reaching the kata-agent) from sg-w.',
        'sg-p already allows TCP 9000 (the peer-pods tunnel) from sg-w.',
        'sg-w already allows TCP 9000 (the peer-pods tunnel) from sg-p.',
      ]);
    });

    it('needs rules only in a group the worker and the pod VMs share', () => {
      const plan = planAwsPortRules(withConfiguredGroups([podVm(), worker()], [worker()]), options);
      expect(plan.rules.map((rule) => `${rule.targetId}<-${rule.sourceId ?? 'itself'}:${rule.key}`)).toEqual([
        'sg-w<-itself:kata-agent',
        'sg-w<-itself:vxlan',
      ]);
    });

    it('warns when a configured group is in another VPC than the worker', () => {
      const plan = planAwsPortRules(withConfiguredGroups([podVm([], 'vpc-2')], [worker()]), options);
      expect(plan.notes).toContainEqual(expect.stringContaining('sg-p is in vpc-2, not in the worker’s VPC'));
    });
  });
});
