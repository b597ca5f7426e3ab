// The AWS provider against a real moto_server (started here on a free loopback port), reached
// through the fault-injecting proxy so tests can count calls and inject EC2 errors.
import { inspect } from 'node:util';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsAction, ec2Error, type FaultProxy } from '../../../test/fault-proxy.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import {
  launchPodVms,
  motoCredentials,
  MOTO_IMAGE_ID,
  MOTO_REGION,
  type MotoNetwork,
} from '../../../test/moto-seed.ts';
import { createCloudProvider } from '../create-provider.ts';
import {
  cleanupOrphans,
  correlateInventory,
  DeletionLedger,
  planOrphanCleanup,
  podVmName,
  type ClusterIdentity,
  type PeerPodLike,
  type PodLike,
} from '../inventory.ts';
import { type AuditEvent, type ChangeContext, type PeerPodVm } from '../provider.ts';
import { parseCloudSettings } from '../settings.ts';
import type { AwsCloudProvider, AwsProviderOptions } from './provider.ts';
import { motoTestProvider, startMotoBehindProxy, type MotoBehindProxy } from '../test/aws-provider.ts';
import { failure } from '../test/failure.ts';

const CLUSTER_TAGS = { 'peerpods-cluster': 'test-cluster' };
// Enough for several DescribeInstances pages and every kind of VM; 5,000 instances are bench/cloud's.
const VM_COUNT = 30;
/** Pods i % 3 of 0 and 1 are alive (a third with a PeerPod too); i % 3 of 2 left their VM behind. */
const IN_USE = (VM_COUNT * 2) / 3;
const UNCLAIMED = VM_COUNT / 3;
const ELEVEN_MINUTES = 11 * 60_000;

let moto: MotoBehindProxy;
let proxy: FaultProxy;
let seedClient: EC2Client;
let network: MotoNetwork;
const logs = memoryLogger();
const credentials = motoCredentials('aws-provider-test');

function provider(overrides: Partial<AwsProviderOptions> = {}): AwsCloudProvider {
  return motoTestProvider(proxy, {
    credentials,
    credentialsSource: 'Secret openshift-sandboxed-containers-operator/peer-pods-secret',
    logger: logs.logger,
    ...overrides,
  });
}

function recorder(actor = 'alice'): { context: ChangeContext; events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { context: { actor, audit: (event) => events.push(event) }, events };
}

const calls = (action: string) => proxy.requests.filter((request) => request.action === action && !request.injected);

/** Records the form bodies of an EC2 action as they pass the proxy (a fault that never matches). */
function bodiesOf(action: string): string[] {
  const bodies: string[] = [];
  proxy.inject({
    match: (request) => {
      if (awsAction(action)(request)) bodies.push(request.body);
      return false;
    },
    respond: 'drop',
  });
  return bodies;
}

/** This cluster: its TAGS and AWS_SUBNET_ID. */
const scope = (): ClusterIdentity => ({ provider: 'aws', tags: CLUSTER_TAGS, subnetId: network.subnetId });

beforeAll(async () => {
  moto = await startMotoBehindProxy(credentials);
  ({ proxy, seedClient, network } = moto);
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(() => {
  proxy.clearFaults();
  proxy.clearRequests();
});

describe(`inventory, correlation and orphans (${VM_COUNT} peer-pod instances)`, () => {
  // Pod i: a third have a PeerPod, a third only a live pod, a third nothing (orphans once old).
  const pods: PodLike[] = [];
  const peerPods: PeerPodLike[] = [];
  let listed: PeerPodVm[] = [];
  let excluded = 0;
  let describePages = 0;
  let foreignId = '';
  let goneId = '';
  const identity = scope;
  const later = () => new Date(Date.now() + ELEVEN_MINUTES);

  beforeAll(async () => {
    const specs = Array.from({ length: VM_COUNT }, (_, i) => ({
      podName: `web-${i}`,
      namespace: `team-${i % 5}`,
      sandboxId: `${i.toString(16).padStart(8, '0')}c0ffee`,
    }));
    const launched = await launchPodVms(seedClient, {
      names: specs.map((spec) => podVmName(spec.podName, spec.sandboxId)),
      subnetId: network.subnetId,
      tags: CLUSTER_TAGS,
      // moto pages DescribeInstances by reservation: small reservations make several pages.
      batchSize: 3,
    });
    specs.forEach((spec, i) => {
      if (i % 3 === 2) return;
      const uid = `uid-${i}`;
      const pod: PodLike = {
        metadata: { name: spec.podName, namespace: spec.namespace, uid },
        spec: { nodeName: `worker-${i % 4}`, runtimeClassName: 'kata-remote' },
        status: { phase: 'Running' },
      };
      pods.push(pod);
      if (i % 3 === 0) {
        peerPods.push({
          metadata: {
            name: spec.podName,
            namespace: spec.namespace,
            ownerReferences: [{ kind: 'Pod', name: spec.podName, uid }],
          },
          spec: { cloudProvider: 'aws', instanceID: launched[i]?.id },
        });
      }
    });

    // Not ours: another cluster's pod VM in the same account, a bastion, and a terminated pod VM.
    const others = await seedClient.send(
      new RunInstancesCommand({ ImageId: MOTO_IMAGE_ID, MinCount: 3, MaxCount: 3, SubnetId: network.subnetId }),
    );
    const [foreign, bastion, gone] = (others.Instances ?? []).map((instance) => instance.InstanceId ?? '');
    foreignId = foreign ?? '';
    goneId = gone ?? '';
    await seedClient.send(
      new CreateTagsCommand({
        Resources: [foreignId],
        Tags: [
          { Key: 'Name', Value: 'podvm-theirs-0badc0de' },
          { Key: 'peerpods-cluster', Value: 'other-cluster' },
        ],
      }),
    );
    await seedClient.send(
      new CreateTagsCommand({ Resources: [bastion ?? ''], Tags: [{ Key: 'Name', Value: 'bastion' }] }),
    );
    await seedClient.send(
      new CreateTagsCommand({ Resources: [goneId], Tags: [{ Key: 'Name', Value: 'podvm-lost-deadbeef' }] }),
    );
    await seedClient.send(new TerminateInstancesCommand({ InstanceIds: [goneId] }));
    peerPods.push({
      metadata: { name: 'lost', namespace: 'team-0' },
      spec: { cloudProvider: 'aws', instanceID: goneId },
    });

    proxy.clearRequests();
    ({ vms: listed, excluded } = await provider({ pageSize: 5 }).listPeerPodVms(identity(), { countExcluded: true }));
    describePages = calls('DescribeInstances').length;
  });

  it('lists every peer-pod instance of this cluster, following NextToken across pages', () => {
    expect(describePages).toBeGreaterThan(1);
    expect(listed).toHaveLength(VM_COUNT);
    expect(new Set(listed.map((vm) => vm.id)).size).toBe(VM_COUNT);
  });

  it('leaves out another cluster’s peer-pod instance in the same account, and only counts it', () => {
    expect(listed.map((vm) => vm.id)).not.toContain(foreignId);
    expect(excluded).toBe(1);
  });

  it('asks EC2 for this cluster’s instances only (subnet and tag filters) when nothing is to be counted', async () => {
    const bodies = bodiesOf('DescribeInstances');
    const scoped = await provider().listPeerPodVms(identity());
    expect(scoped.vms.map((vm) => vm.id).sort()).toEqual(listed.map((vm) => vm.id).sort());
    expect(scoped.excluded).toBe(0);
    const body = bodies[0] ?? '';
    expect(body).toMatch(new RegExp(`Name=subnet-id&Filter\\.\\d+\\.Value\\.1=${network.subnetId}`));
    expect(body).toMatch(/Name=tag%3Apeerpods-cluster&Filter\.\d+\.Value\.1=test-cluster/);
  });

  it('leaves out instances without a podvm- name and terminated ones', () => {
    const names = listed.map((vm) => vm.name);
    expect(names).not.toContain('bastion');
    expect(names).not.toContain('podvm-lost-deadbeef');
    expect(names.every((name) => name.startsWith('podvm-'))).toBe(true);
  });

  it('reports id, name, state, instance type, launch time, tags and subnet of each VM', () => {
    const first = listed.find((vm) => vm.name === podVmName('web-0', '00000000c0ffee'));
    expect(first).toMatchObject({
      provider: 'aws',
      id: expect.stringMatching(/^i-/),
      state: 'running',
      cloudState: 'running',
      instanceType: 't3.medium',
      tags: { Name: 'podvm-web-0-00000000', ...CLUSTER_TAGS },
      subnetId: network.subnetId,
      vpcId: network.vpcId,
    });
    expect(Number.isNaN(Date.parse(first?.launchTime ?? ''))).toBe(false);
  });

  it('correlates each VM with its PeerPod, its pod and that pod’s node', () => {
    const report = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods, now: later() });
    const byName = new Map(report.vms.map((entry) => [entry.vm.name, entry]));
    expect(byName.get(podVmName('web-3', '00000003c0ffee'))).toMatchObject({
      ownership: 'in-use',
      peerPod: { namespace: 'team-3', name: 'web-3' },
      pod: { namespace: 'team-3', name: 'web-3' },
      nodeName: 'worker-3',
    });
    const withoutPeerPod = byName.get(podVmName('web-4', '00000004c0ffee'));
    expect(withoutPeerPod).toMatchObject({
      ownership: 'in-use',
      pod: { namespace: 'team-4', name: 'web-4' },
      nodeName: 'worker-0',
    });
    expect(withoutPeerPod?.peerPod).toBeUndefined();
    expect(report.vms.filter((entry) => entry.ownership === 'in-use')).toHaveLength(IN_USE);
    expect(Object.values(report.vmIdsByNode).flat()).toHaveLength(IN_USE);
  });

  it('finds the unclaimed VMs as orphans only once the grace period is over', () => {
    const now = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods });
    expect(now.orphans).toHaveLength(0);
    expect(now.vms.filter((entry) => entry.ownership === 'unclaimed')).toHaveLength(UNCLAIMED);
    const afterGrace = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods, now: later() });
    expect(afterGrace.orphans).toHaveLength(UNCLAIMED);
    const longerGrace = correlateInventory({
      provider: 'aws',
      vms: listed,
      pods,
      peerPods,
      now: later(),
      gracePeriodMs: 3600_000,
    });
    expect(longerGrace.orphans).toHaveLength(0);
  });

  it('reports the PeerPod of a terminated VM as dangling', () => {
    const report = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods, now: later() });
    expect(report.dangling).toEqual([
      expect.objectContaining({ peerPod: { namespace: 'team-0', name: 'lost' }, instanceID: goneId }),
    ]);
  });

  it('dry run lists exactly the orphans of this cluster, never the other cluster’s VM, and changes nothing', () => {
    const report = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods, now: later() });
    const plan = planOrphanCleanup(report, identity());
    const expected = listed.filter((vm) => /^podvm-web-\d+-/.test(vm.name) && Number(vm.name.split('-')[2]) % 3 === 2);
    expect(plan.toDelete.map((candidate) => candidate.vmId).sort()).toEqual(expected.map((vm) => vm.id).sort());
    expect(report.orphans.map((entry) => entry.vm.id)).not.toContain(foreignId);
    expect(plan.refused).toEqual([]);
    expect(calls('TerminateInstances')).toHaveLength(0);
  });

  it('cleanup terminates the approved orphans once, even for two racing requests, and refuses the rest', async () => {
    const report = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods, now: later() });
    const approved = report.orphans.slice(0, 3).map((entry) => entry.vm.id);
    const inUse = report.vms.find((entry) => entry.ownership === 'in-use')?.vm.id ?? '';
    const ledger = new DeletionLedger();
    const audit = recorder('alice');
    const request = {
      provider: provider(),
      identity: identity(),
      vmIds: [...approved, inUse, foreignId],
      pods,
      peerPods,
      ledger,
      now: later(),
      context: audit.context,
    };
    const results = await Promise.all([cleanupOrphans(request), cleanupOrphans(request)]);

    expect(results.flatMap((result) => result.deleted.map((deleted) => deleted.vmId)).sort()).toEqual(
      [...approved].sort(),
    );
    expect(results.flatMap((result) => result.skipped.map((skipped) => skipped.vmId)).sort()).toEqual(
      [...approved].sort(),
    );
    expect(results[0]?.refused.map((refusal) => refusal.vmId)).toEqual([inUse, foreignId]);
    expect(results[0]?.refused[1]?.reason).toBe('No peer-pod VM with this id is in the current inventory.');
    const terminated = calls('TerminateInstances');
    expect(terminated).toHaveLength(3);
    const succeeded = audit.events.filter((event) => event.result === 'succeeded');
    expect(succeeded.map((event) => event.cloudIds[0]).sort()).toEqual([...approved].sort());
    expect(
      succeeded.every((event) => event.user === 'alice' && event.action === 'vm.delete' && event.provider === 'aws'),
    ).toBe(true);

    const remaining = await provider().listPeerPodVms(identity(), { countExcluded: true });
    expect(remaining.vms).toHaveLength(VM_COUNT - 3);
    expect(remaining.vms.map((vm) => vm.id)).not.toEqual(expect.arrayContaining([approved[0]]));
    // The other cluster's instance is still there, untouched.
    expect(remaining.excluded).toBe(1);
  });

  it('a repeated cleanup of deleted VMs deletes nothing', async () => {
    const report = correlateInventory({ provider: 'aws', vms: listed, pods, peerPods, now: later() });
    const alreadyDone = report.orphans.slice(0, 3).map((entry) => entry.vm.id);
    const audit = recorder();
    const result = await cleanupOrphans({
      provider: provider(),
      identity: identity(),
      vmIds: alreadyDone,
      pods,
      peerPods,
      ledger: new DeletionLedger(),
      now: later(),
      context: audit.context,
    });
    expect(result.deleted).toEqual([]);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual(
      Array(3).fill('No peer-pod VM with this id is in the current inventory.'),
    );
    expect(calls('TerminateInstances')).toHaveLength(0);
  });

  it('deleteVm refuses an instance whose Name no longer matches', async () => {
    const victim = listed.find((vm) => vm.name === podVmName('web-1', '00000001c0ffee'));
    if (!victim) throw new Error('fixture VM missing');
    const audit = recorder();
    const error = await failure(() =>
      provider().deleteVm({ ...victim, name: 'podvm-someone-else-12345678' }, audit.context),
    );
    expect(error.code).toBe('conflict');
    expect(audit.events).toEqual([expect.objectContaining({ result: 'refused', cloudIds: [victim.id] })]);
    expect(calls('TerminateInstances')).toHaveLength(0);
  });
});

describe('what a cleanup of one instance deletes', () => {
  const TAGS = { 'peerpods-cluster': 'volume-test' };
  const ours = (): ClusterIdentity => ({ provider: 'aws', tags: TAGS, subnetId: network.subnetId });
  const later = () => new Date(Date.now() + ELEVEN_MINUTES);

  it('the dry run names the instance and the root volume EC2 deletes with it; the cleanup deletes exactly those', async () => {
    const [launched] = await launchPodVms(seedClient, {
      names: [podVmName('volume', 'feedface00')],
      subnetId: network.subnetId,
      tags: TAGS,
    });
    const id = launched?.id ?? '';
    const volumeIds = async (filter: { Name: string; Values: string[] }) =>
      (await seedClient.send(new DescribeVolumesCommand({ Filters: [filter] }))).Volumes?.flatMap((volume) =>
        volume.VolumeId ? [volume.VolumeId] : [],
      ) ?? [];
    const [rootVolume = ''] = await volumeIds({ Name: 'attachment.instance-id', Values: [id] });
    expect(rootVolume).toMatch(/^vol-/);

    const { vms } = await provider().listPeerPodVms(ours());
    const report = correlateInventory({ provider: 'aws', vms, pods: [], peerPods: [], now: later() });
    const plan = planOrphanCleanup(report, ours(), [id]);
    expect(plan.toDelete.map((candidate) => candidate.resources)).toEqual([
      [
        { kind: 'ec2-instance', name: id },
        { kind: 'disk', name: rootVolume },
      ],
    ]);
    expect(calls('TerminateInstances')).toHaveLength(0);

    const result = await cleanupOrphans({
      provider: provider(),
      identity: ours(),
      vmIds: [id],
      pods: [],
      peerPods: [],
      ledger: new DeletionLedger(),
      now: later(),
      context: recorder().context,
    });
    expect(result.deleted.map((deleted) => deleted.resources)).toEqual(plan.toDelete.map((c) => c.resources));
    // EC2 deleted the volume with the instance: it is gone, not merely detached.
    expect(await volumeIds({ Name: 'volume-id', Values: [rootVolume] })).toEqual([]);
  });
});

describe('this cluster’s scope without AWS_SUBNET_ID', () => {
  const TAGS = { 'peerpods-cluster': 'vpc-scope-test' };
  let ours = '';
  let elsewhere = '';

  beforeAll(async () => {
    // The same TAGS on a pod VM in another VPC: only the VPC tells the two apart.
    const vpc = await seedClient.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
    const subnet = await seedClient.send(
      new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: '10.1.0.0/20', AvailabilityZone: `${MOTO_REGION}b` }),
    );
    const launch = async (name: string, subnetId: string) =>
      (await launchPodVms(seedClient, { names: [name], subnetId, tags: TAGS }))[0]?.id ?? '';
    ours = await launch('podvm-here-0000aaaa', network.subnetId);
    elsewhere = await launch('podvm-there-0000bbbb', subnet.Subnet?.SubnetId ?? '');
  });

  it('takes the VPC of the nodes’ instances, skipping nodes of other platforms and instances that are gone', async () => {
    const aws = provider();
    const nodes = async () => [
      network.workerProviderId,
      `aws:///${MOTO_REGION}a/i-0000000000000dead`,
      'azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/w',
    ];
    const resolved = await aws.resolveClusterScope({ provider: 'aws', tags: TAGS }, nodes);
    expect(resolved).toEqual({ provider: 'aws', tags: TAGS, vpcIds: [network.vpcId] });

    proxy.clearRequests();
    await aws.resolveClusterScope({ provider: 'aws', tags: TAGS }, nodes);
    expect(calls('DescribeInstances')).toHaveLength(0);

    const bodies = bodiesOf('DescribeInstances');
    const listing = await aws.listPeerPodVms(resolved);
    expect(listing.vms.map((vm) => vm.id)).toEqual([ours]);
    expect(listing.vms.map((vm) => vm.id)).not.toContain(elsewhere);
    expect(bodies[0]).toMatch(new RegExp(`Name=vpc-id&Filter\\.\\d+\\.Value\\.1=${network.vpcId}`));
  });

  it('does not look at the nodes when AWS_SUBNET_ID says where pod VMs go', async () => {
    let asked = false;
    const nodes = async () => {
      asked = true;
      return [network.workerProviderId];
    };
    expect(await provider().resolveClusterScope(scope(), nodes)).toEqual(scope());
    expect(asked).toBe(false);
  });
});

describe('port rules', () => {
  it('discovers the worker’s security group from its spec.providerID', async () => {
    const discovery = await provider().discoverPortRules(network.workerProviderId);
    expect(discovery).toMatchObject({
      provider: 'aws',
      region: MOTO_REGION,
      workerInstanceId: network.workerInstanceId,
      securityGroups: [{ groupId: network.workerGroupId, groupName: 'test-cluster-worker-sg', vpcId: network.vpcId }],
    });
  });

  it('plans both rules as missing, with the equivalent aws commands', async () => {
    const aws = provider();
    const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    expect(plan.rules.map((rule) => `${rule.key}:${rule.status}`)).toEqual(['kata-agent:missing', 'vxlan:missing']);
    expect(plan.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --region ${MOTO_REGION} --group-id ${network.workerGroupId} --protocol tcp --port 15150 --source-group ${network.workerGroupId}`,
      `aws ec2 authorize-security-group-ingress --region ${MOTO_REGION} --group-id ${network.workerGroupId} --protocol tcp --port 9000 --source-group ${network.workerGroupId}`,
    ]);
  });

  it('refuses to change anything when the DryRun permission check is denied', async () => {
    const aws = provider();
    const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    proxy.inject({
      match: (request) => awsAction('AuthorizeSecurityGroupIngress')(request) && request.body.includes('DryRun=true'),
      respond: ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    });
    const audit = recorder('bob');
    const error = await failure(() => aws.applyPortRules(plan, audit.context));
    expect(error.code).toBe('permission');
    expect(error.message).toContain('ec2:AuthorizeSecurityGroupIngress');
    expect(proxy.requests.filter((request) => request.action === 'AuthorizeSecurityGroupIngress')).toHaveLength(1);
    expect(audit.events).toEqual([
      expect.objectContaining({ user: 'bob', action: 'port-rule.permission-check', result: 'failed' }),
    ]);
    expect((await aws.verifyPortRules(plan)).ok).toBe(false);
  });

  it('applies the plan after a DryRun permission check, and verification reads the rules back', async () => {
    const aws = provider();
    const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    proxy.clearRequests();
    const audit = recorder('alice');
    const result = await aws.applyPortRules(plan, audit.context);

    expect(result.rules.map((rule) => rule.outcome)).toEqual(['created', 'created']);
    const authorizeBodies = proxy.requests.filter((request) => request.action === 'AuthorizeSecurityGroupIngress');
    expect(authorizeBodies).toHaveLength(3);
    expect(audit.events.map((event) => [event.user, event.action, event.result, event.cloudIds[0]])).toEqual([
      ['alice', 'port-rule.create', 'succeeded', network.workerGroupId],
      ['alice', 'port-rule.create', 'succeeded', network.workerGroupId],
    ]);
    const verification = await aws.verifyPortRules(plan);
    expect(verification).toMatchObject({ ok: true, rules: [{ status: 'present' }, { status: 'present' }] });
  });

  it('re-applying is idempotent: a fresh plan has nothing to do, a stale one counts duplicates as success', async () => {
    const aws = provider();
    const fresh = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    expect(fresh.upToDate).toBe(true);
    expect((await aws.applyPortRules(fresh, recorder().context)).rules.map((rule) => rule.outcome)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    const stale = {
      ...fresh,
      rules: fresh.rules.map((rule) => ({ ...rule, status: 'missing' as const, action: 'create' as const })),
    };
    const audit = recorder();
    const result = await aws.applyPortRules(stale, audit.context);
    expect(result.rules.map((rule) => rule.outcome)).toEqual(['already-present', 'already-present']);
    expect(audit.events.map((event) => event.result)).toEqual(['already-done', 'already-done']);
  });

  it('opens UDP for the VXLAN port when asked', async () => {
    const aws = provider();
    const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
      vxlanPort: 9000,
      includeUdp: true,
    });
    expect(plan.rules.map((rule) => `${rule.key}:${rule.status}`)).toEqual([
      'kata-agent:present',
      'vxlan:present',
      'vxlan-udp:missing',
    ]);
    await aws.applyPortRules(plan, recorder().context);
    expect((await aws.verifyPortRules(plan)).ok).toBe(true);
  });

  it('reports an unknown worker instance as not found', async () => {
    const error = await failure(() => provider().discoverPortRules(`aws:///${MOTO_REGION}a/i-00000000000000000`));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('i-00000000000000000');
  });

  describe('with AWS_SG_IDS', () => {
    const b64 = (value: string) => Buffer.from(value).toString('base64');
    let podVmGroupId = '';

    /** The provider the backend builds from peer-pods-cm with AWS_SG_IDS set. */
    const fromSettings = (sgIds: string) =>
      createCloudProvider(
        parseCloudSettings({
          configMap: {
            data: {
              CLOUD_PROVIDER: 'aws',
              AWS_REGION: MOTO_REGION,
              AWS_SUBNET_ID: network.subnetId,
              AWS_SG_IDS: sgIds,
            },
          },
          secret: {
            data: {
              AWS_ACCESS_KEY_ID: b64(credentials.accessKeyId),
              AWS_SECRET_ACCESS_KEY: b64(credentials.secretAccessKey),
            },
          },
        }),
        { logger: logs.logger, awsEndpoint: proxy.endpoint },
      );

    beforeAll(async () => {
      const group = await seedClient.send(
        new CreateSecurityGroupCommand({ GroupName: 'peer-pod-vms', Description: 'pod VMs', VpcId: network.vpcId }),
      );
      podVmGroupId = group.GroupId ?? '';
    });

    it('checks the pod VMs’ groups from AWS_SG_IDS beside the worker’s, and says so', async () => {
      const discovery = await fromSettings(podVmGroupId).discoverPortRules(network.workerProviderId);
      if (discovery.provider !== 'aws') throw new Error('an AWS discovery was expected');
      expect(discovery).toMatchObject({
        workerGroupIds: [network.workerGroupId],
        podVmGroupIds: [podVmGroupId],
        podVmGroupSource: 'AWS_SG_IDS',
      });
      expect(discovery.securityGroups.map((group) => group.groupId)).toEqual([podVmGroupId, network.workerGroupId]);
    });

    it('lets the worker’s group into the pod VMs’ group, and the VXLAN traffic back, then verifies', async () => {
      const aws = fromSettings(podVmGroupId);
      const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
        vxlanPort: 9000,
        includeUdp: false,
      });
      expect(plan.rules.map((rule) => [rule.key, rule.targetId, rule.sourceId, rule.status])).toEqual([
        ['kata-agent', podVmGroupId, network.workerGroupId, 'missing'],
        ['vxlan', podVmGroupId, network.workerGroupId, 'missing'],
        ['vxlan', network.workerGroupId, podVmGroupId, 'missing'],
      ]);
      expect(plan.commands[0]).toBe(
        `aws ec2 authorize-security-group-ingress --region ${MOTO_REGION} --group-id ${podVmGroupId} --protocol tcp --port 15150 --source-group ${network.workerGroupId}`,
      );
      expect(plan.notes[0]).toContain(`AWS_SG_IDS of peer-pods-cm (${podVmGroupId})`);

      const audit = recorder();
      const applied = await aws.applyPortRules(plan, audit.context);
      expect(applied.rules.map((rule) => rule.outcome)).toEqual(['created', 'created', 'created']);
      expect((await aws.verifyPortRules(plan)).ok).toBe(true);
      const described = await seedClient.send(new DescribeSecurityGroupsCommand({ GroupIds: [podVmGroupId] }));
      const ingress = described.SecurityGroups?.[0]?.IpPermissions ?? [];
      expect(ingress.map((rule) => [rule.FromPort, rule.UserIdGroupPairs?.[0]?.GroupId]).sort()).toEqual([
        [15150, network.workerGroupId],
        [9000, network.workerGroupId],
      ]);
    });

    it('treats a group the worker is in as shared: rules from itself, as without AWS_SG_IDS', async () => {
      const aws = fromSettings(network.workerGroupId);
      const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
        vxlanPort: 9000,
        includeUdp: false,
      });
      expect(plan.rules.map((rule) => [rule.targetId, rule.sourceId, rule.status])).toEqual([
        [network.workerGroupId, undefined, 'present'],
        [network.workerGroupId, undefined, 'present'],
      ]);
    });

    it('names AWS_SG_IDS when it points at a group that does not exist', async () => {
      const error = await failure(() =>
        fromSettings('sg-0000000000000dead').discoverPortRules(network.workerProviderId),
      );
      expect(error.code).toBe('invalid_config');
      expect(error.message).toContain('AWS_SG_IDS');
    });
  });
});

describe('cloud errors', () => {
  it('retries throttling (RequestLimitExceeded) with backoff until the call succeeds', async () => {
    proxy.inject({
      match: awsAction('DescribeInstances'),
      times: 2,
      respond: ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.'),
    });
    const discovery = await provider({ maxAttempts: 5 }).discoverPortRules(network.workerProviderId);
    expect(discovery.workerInstanceId).toBe(network.workerInstanceId);
    const describes = proxy.requests.filter((request) => request.action === 'DescribeInstances');
    expect(describes.map((request) => request.injected)).toEqual([true, true, false]);
  });

  it('gives up with a throttled error after the last attempt', async () => {
    proxy.inject({
      match: awsAction('DescribeInstances'),
      times: Infinity,
      respond: ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.'),
    });
    const error = await failure(() => provider({ maxAttempts: 2 }).listPeerPodVms(scope()));
    expect(error).toMatchObject({ code: 'throttled', cloudCode: 'RequestLimitExceeded', retryable: true });
    expect(error.message).toContain('after 2 attempts');
    expect(proxy.requests.filter((request) => request.action === 'DescribeInstances')).toHaveLength(2);
  });

  it('turns rejected credentials into an auth error that names the Secret and its keys', async () => {
    proxy.inject({
      match: awsAction('DescribeInstances'),
      respond: ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials'),
    });
    const error = await failure(() => provider().listPeerPodVms(scope()));
    expect(error.code).toBe('auth');
    expect(error.message).toContain('Secret openshift-sandboxed-containers-operator/peer-pods-secret');
    expect(error.message).toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('turns an unreachable endpoint into an unavailable error', async () => {
    proxy.inject({ match: awsAction('DescribeInstances'), times: Infinity, respond: 'drop' });
    const error = await failure(() => provider({ maxAttempts: 1 }).listPeerPodVms(scope()));
    expect(error.code).toBe('unavailable');
  });
});

describe('secrets', () => {
  it('no result, audit event, error or log line carries a credential, even when AWS echoes one', async () => {
    const secretKey = 'Zm9vYmFyLXNlY3JldC1rZXktdGhhdC1tdXN0LW5vdC1sZWFr';
    // A made-up key id in the AWS format (AKIA + 16 characters); built from parts so that secret
    // scanners do not mistake the fixture for a real credential.
    const accessKey = ['AKIA', 'LEAKCHECK0000001'].join('');
    const b64 = (value: string) => Buffer.from(value).toString('base64');
    const captured = memoryLogger();
    const settings = parseCloudSettings({
      configMap: {
        metadata: { name: 'peer-pods-cm', namespace: 'osc' },
        data: { CLOUD_PROVIDER: 'aws', AWS_REGION: MOTO_REGION },
      },
      secret: {
        metadata: { name: 'peer-pods-secret', namespace: 'osc' },
        data: { AWS_ACCESS_KEY_ID: b64(accessKey), AWS_SECRET_ACCESS_KEY: b64(secretKey) },
      },
    });
    const aws = createCloudProvider(settings, { logger: captured.logger, awsEndpoint: proxy.endpoint });
    const audit = recorder();
    const outputs: unknown[] = [settings];

    const { vms: listing } = await aws.listPeerPodVms(scope());
    outputs.push(listing);
    const plan = aws.planPortRules(await aws.discoverPortRules(network.workerProviderId), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    outputs.push(plan, await aws.applyPortRules(plan, audit.context), await aws.verifyPortRules(plan));

    proxy.inject({
      match: awsAction('DescribeInstances'),
      respond: ec2Error(401, 'AuthFailure', `credentials ${accessKey} ${secretKey} rejected`),
    });
    proxy.inject({
      match: awsAction('DescribeSecurityGroups'),
      respond: ec2Error(400, 'InvalidParameterValue', `value ${secretKey} is invalid`),
    });
    proxy.inject({
      match: awsAction('TerminateInstances'),
      respond: ec2Error(403, 'UnauthorizedOperation', `no access for ${secretKey}`),
    });
    const errors = [
      await failure(() => aws.listPeerPodVms(scope())),
      await failure(() => aws.discoverPortRules(network.workerProviderId)),
    ];
    const victim = listing[0];
    if (victim) errors.push(await failure(() => aws.deleteVm(victim, audit.context)));

    expect(errors.map((error) => error.code)).toEqual(['auth', 'invalid_config', 'permission']);
    expect(errors[1]?.message).toContain('[redacted]');
    const everything = [
      JSON.stringify(outputs),
      JSON.stringify(audit.events),
      ...errors.flatMap((error) => [
        error.message,
        error.stack ?? '',
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
      ]),
      captured.text(),
    ].join('\n');
    expect(captured.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(secretKey);
    expect(everything).not.toContain(accessKey);
  });
});
