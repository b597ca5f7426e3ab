import { describe, expect, it } from 'vitest';
import {
  checkVmInScope,
  checkVmOfThisCluster,
  cleanupOrphans,
  correlateInventory,
  DeletionLedger,
  describeClusterScope,
  parsePodVmName,
  partitionByScope,
  planOrphanCleanup,
  podVmName,
  sanitizePodName,
  type ClusterIdentity,
  type PeerPodLike,
  type PodLike,
} from './inventory.ts';
import type { AuditEvent, ChangeContext, CloudProvider, PeerPodVm, VmDeletionResult } from './provider.ts';

const NOW = new Date('2026-05-01T12:00:00Z');
const LONG_AGO = '2026-05-01T11:00:00.000Z';
const JUST_NOW = '2026-05-01T11:58:00.000Z';

function vm(name: string, overrides: Partial<PeerPodVm> = {}): PeerPodVm {
  return {
    provider: 'aws',
    id: `i-${name.replace(/[^a-z0-9]/g, '').slice(-12)}`,
    name,
    state: 'running',
    cloudState: 'running',
    instanceType: 't3.medium',
    launchTime: LONG_AGO,
    tags: { cluster: 'c1', Name: name },
    subnetId: 'subnet-1',
    ...overrides,
  };
}

function pod(namespace: string, name: string, uid: string, nodeName = 'worker-0', phase = 'Running'): PodLike {
  return { metadata: { namespace, name, uid }, spec: { nodeName, runtimeClassName: 'kata-remote' }, status: { phase } };
}

function peerPod(owner: PodLike, instanceID: string, cloudProvider = 'aws'): PeerPodLike {
  return {
    metadata: {
      namespace: owner.metadata?.namespace,
      name: owner.metadata?.name,
      uid: `pp-${owner.metadata?.uid}`,
      finalizers: ['peer.pod/finalizer'],
      ownerReferences: [{ kind: 'Pod', name: owner.metadata?.name, uid: owner.metadata?.uid }],
    },
    spec: { cloudProvider, instanceID },
  };
}

const identity: ClusterIdentity = { provider: 'aws', tags: { cluster: 'c1' }, subnetId: 'subnet-1' };

describe('VM names', () => {
  it('sanitizes pod names: lowercase, anything outside [a-z0-9-] becomes -', () => {
    expect(sanitizePodName('My_Pod.v2')).toBe('my-pod-v2');
  });

  it('builds podvm-<sanitized pod name>-<first 8 chars of the sandbox id>', () => {
    expect(podVmName('Web.Frontend', '0123456789abcdef0123')).toBe('podvm-web-frontend-01234567');
  });

  it('splits a VM name back into pod name and sandbox prefix, and rejects other names', () => {
    expect(parsePodVmName('podvm-web-frontend-01234567')).toEqual({
      sanitizedPodName: 'web-frontend',
      sandboxPrefix: '01234567',
    });
    expect(parsePodVmName('bastion-01234567')).toBeUndefined();
    expect(parsePodVmName('podvm-01234567')).toBeUndefined();
  });
});

describe('correlateInventory', () => {
  const web = pod('shop', 'web', 'uid-web', 'worker-1');
  const api = pod('shop', 'api', 'uid-api', 'worker-2');

  it('links a VM to its PeerPod, the owning pod and that pod’s node', () => {
    const webVm = vm(podVmName('web', 'aaaaaaaa11'));
    const report = correlateInventory({
      provider: 'aws',
      vms: [webVm],
      pods: [web],
      peerPods: [peerPod(web, webVm.id)],
      now: NOW,
    });
    expect(report.vms[0]).toMatchObject({
      ownership: 'in-use',
      peerPod: { namespace: 'shop', name: 'web' },
      pod: { namespace: 'shop', name: 'web', uid: 'uid-web' },
      nodeName: 'worker-1',
    });
    expect(report.vmIdsByNode).toEqual({ 'worker-1': [webVm.id] });
  });

  it('matches Azure resource ids regardless of case', () => {
    const id = '/subscriptions/s/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/podvm-web-aaaaaaaa';
    const azureVm = vm('podvm-web-aaaaaaaa', { provider: 'azure', id });
    const report = correlateInventory({
      provider: 'azure',
      vms: [azureVm],
      pods: [web],
      peerPods: [peerPod(web, id.toLowerCase(), 'azure')],
      now: NOW,
    });
    expect(report.vms[0]?.ownership).toBe('in-use');
    expect(report.dangling).toEqual([]);
  });

  it('links a VM without a PeerPod to the live pod whose sanitized name it carries', () => {
    const apiVm = vm(podVmName('api', 'bbbbbbbb22'));
    const report = correlateInventory({ provider: 'aws', vms: [apiVm], pods: [api], peerPods: [], now: NOW });
    expect(report.vms[0]).toMatchObject({ ownership: 'in-use', pod: { name: 'api' }, nodeName: 'worker-2' });
  });

  it('keeps a VM whose name fits several live pods, listing them as candidates', () => {
    const twins = [pod('a', 'db', 'uid-a'), pod('b', 'db', 'uid-b')];
    const report = correlateInventory({
      provider: 'aws',
      vms: [vm(podVmName('db', 'cccccccc'))],
      pods: twins,
      peerPods: [],
      now: NOW,
    });
    expect(report.vms[0]?.ownership).toBe('in-use');
    expect(report.vms[0]?.candidatePods).toEqual([
      { namespace: 'a', name: 'db' },
      { namespace: 'b', name: 'db' },
    ]);
    expect(report.orphans).toEqual([]);
  });

  it('calls a VM an orphan when no PeerPod and no live pod claim it and it is older than the grace period', () => {
    const finished = pod('shop', 'batch', 'uid-batch', 'worker-1', 'Succeeded');
    const batchVm = vm(podVmName('batch', 'dddddddd'));
    const report = correlateInventory({ provider: 'aws', vms: [batchVm], pods: [finished], peerPods: [], now: NOW });
    expect(report.orphans.map((entry) => entry.vm.id)).toEqual([batchVm.id]);
  });

  it('leaves a young unclaimed VM alone until the grace period ends, and the period is configurable', () => {
    const young = vm(podVmName('new', 'eeeeeeee'), { launchTime: JUST_NOW });
    const report = correlateInventory({ provider: 'aws', vms: [young], pods: [], peerPods: [], now: NOW });
    expect(report.vms[0]).toMatchObject({ ownership: 'unclaimed', orphanAfter: '2026-05-01T12:08:00.000Z' });
    const shortGrace = correlateInventory({
      provider: 'aws',
      vms: [young],
      pods: [],
      peerPods: [],
      now: NOW,
      gracePeriodMs: 60_000,
    });
    expect(shortGrace.orphans).toHaveLength(1);
    expect(shortGrace.orphans[0]?.reason).toMatch(/launched more than 1 minute ago\./);
  });

  it('gives a reason that reads right when the grace period is under a minute', () => {
    const young = vm(podVmName('new', 'eeeeeeee'), { launchTime: JUST_NOW });
    const report = correlateInventory({
      provider: 'aws',
      vms: [young],
      pods: [],
      peerPods: [],
      now: NOW,
      gracePeriodMs: 0,
    });
    expect(report.orphans[0]?.reason).toBe('No PeerPod and no live pod claims this VM, and its grace period is over.');
  });

  it('never calls a VM the cloud is deleting, or one without a launch time, an orphan', () => {
    const going = vm(podVmName('x', 'ffffffff'), { state: 'terminating', cloudState: 'shutting-down' });
    const ageless = vm(podVmName('y', '11111111'), { launchTime: undefined });
    const report = correlateInventory({ provider: 'aws', vms: [going, ageless], pods: [], peerPods: [], now: NOW });
    expect(report.vms.map((entry) => entry.ownership)).toEqual(['terminating', 'unclaimed']);
  });

  it('reports a PeerPod whose VM is gone as dangling, and ignores PeerPods of another cloud', () => {
    const report = correlateInventory({
      provider: 'aws',
      vms: [],
      pods: [web],
      peerPods: [peerPod(web, 'i-0gone'), peerPod(api, '/subscriptions/x/vm', 'azure')],
      now: NOW,
    });
    expect(report.dangling).toEqual([
      expect.objectContaining({
        peerPod: { namespace: 'shop', name: 'web' },
        instanceID: 'i-0gone',
        pod: expect.objectContaining({ name: 'web' }),
      }),
    ]);
  });
});

describe('checkVmOfThisCluster', () => {
  it('accepts a podvm- VM with the cluster tags in the configured subnet', () => {
    expect(checkVmOfThisCluster(vm('podvm-web-12345678'), identity)).toEqual({ ok: true });
  });

  it('refuses other names, missing tags and other subnets', () => {
    expect(checkVmOfThisCluster(vm('bastion-12345678'), identity).ok).toBe(false);
    expect(checkVmOfThisCluster(vm('podvm-web-12345678', { tags: {} }), identity).ok).toBe(false);
    expect(checkVmOfThisCluster(vm('podvm-web-12345678', { subnetId: 'subnet-2' }), identity).ok).toBe(false);
  });

  it('refuses everything on AWS when neither TAGS nor AWS_SUBNET_ID can identify the cluster', () => {
    const result = checkVmOfThisCluster(vm('podvm-web-12345678'), { provider: 'aws', tags: {} });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('TAGS or AWS_SUBNET_ID') });
  });

  it('on Azure, requires the pod-VM resource group', () => {
    const azureVm = vm('podvm-web-12345678', { provider: 'azure', resourceGroup: 'Cluster-RG', tags: {} });
    expect(checkVmOfThisCluster(azureVm, { provider: 'azure', tags: {}, resourceGroup: 'cluster-rg' })).toEqual({
      ok: true,
    });
    expect(checkVmOfThisCluster(azureVm, { provider: 'azure', tags: {}, resourceGroup: 'other-rg' }).ok).toBe(false);
  });
});

describe('this cluster’s scope', () => {
  it('on AWS without AWS_SUBNET_ID, is the VPC of the cluster’s nodes', () => {
    const byVpc: ClusterIdentity = { provider: 'aws', tags: {}, vpcIds: ['vpc-ours'] };
    expect(checkVmInScope(vm('podvm-web-12345678', { vpcId: 'vpc-ours', subnetId: 'subnet-9' }), byVpc)).toEqual({
      ok: true,
    });
    expect(checkVmInScope(vm('podvm-web-12345678', { vpcId: 'vpc-theirs' }), byVpc)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('VPC'),
    });
  });

  it('on AWS with AWS_SUBNET_ID, is that subnet, whatever VPC the nodes are in', () => {
    const scope: ClusterIdentity = { provider: 'aws', tags: {}, subnetId: 'subnet-1', vpcIds: ['vpc-ours'] };
    expect(checkVmInScope(vm('podvm-web-12345678', { vpcId: 'vpc-ours', subnetId: 'subnet-2' }), scope).ok).toBe(false);
  });

  it('holds nothing on AWS when no TAGS, subnet or node VPC can tell the cluster’s VMs apart', () => {
    const nothing: ClusterIdentity = { provider: 'aws', tags: {}, vpcIds: [] };
    expect(checkVmInScope(vm('podvm-web-12345678'), nothing).ok).toBe(false);
    expect(checkVmInScope(vm('podvm-web-12345678'), { ...nothing, tags: { cluster: 'c1' } }).ok).toBe(true);
    expect(describeClusterScope(nothing)).toMatch(/^None: Set TAGS or AWS_SUBNET_ID/);
  });

  it('on Azure with AZURE_SUBNET_ID, also needs the VM’s NIC in that subnet', () => {
    const subnet = '/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/workers';
    const scope: ClusterIdentity = { provider: 'azure', tags: {}, resourceGroup: 'rg', subnetId: subnet };
    const azureVm = (subnetId?: string) =>
      vm('podvm-web-12345678', { provider: 'azure', resourceGroup: 'rg', tags: {}, subnetId });
    expect(checkVmInScope(azureVm(subnet.toUpperCase()), scope).ok).toBe(true);
    expect(checkVmInScope(azureVm(subnet.replace('workers', 'other')), scope).ok).toBe(false);
    expect(checkVmInScope(azureVm(undefined), scope).ok).toBe(false);
  });

  it('splits a listing into this cluster’s VMs and a bare count of the others', () => {
    const ours = vm(podVmName('web', '00000001'));
    const theirs = [
      vm(podVmName('web', '00000002'), { tags: { cluster: 'c2' } }),
      vm(podVmName('api', '00000003'), { subnetId: 'subnet-2' }),
    ];
    expect(partitionByScope([theirs[0]!, ours, theirs[1]!], identity)).toEqual({ vms: [ours], excluded: 2 });
  });

  it('says in one sentence what it meant', () => {
    expect(describeClusterScope(identity)).toBe(
      'Peer-pod instances in subnet subnet-1 (AWS_SUBNET_ID) carrying the tags cluster=c1 (TAGS).',
    );
    expect(describeClusterScope({ provider: 'aws', tags: {}, vpcIds: ['vpc-1'] })).toBe(
      'Peer-pod instances in vpc-1 (the VPC of this cluster’s nodes).',
    );
    expect(describeClusterScope({ provider: 'azure', tags: {}, resourceGroup: 'cluster-rg' })).toBe(
      'Peer-pod VMs in resource group cluster-rg.',
    );
  });
});

describe('planOrphanCleanup', () => {
  const orphan = vm(podVmName('gone', 'aaaa1111'));
  const foreign = vm(podVmName('theirs', 'bbbb2222'), { tags: { cluster: 'c2' } });
  const owned = vm(podVmName('web', 'cccc3333'));
  const report = correlateInventory({
    provider: 'aws',
    vms: [orphan, foreign, owned],
    pods: [pod('shop', 'web', 'uid-web')],
    peerPods: [],
    now: NOW,
  });

  it('lists every orphan of this cluster and refuses the orphans of others', () => {
    const plan = planOrphanCleanup(report, identity);
    expect(plan.toDelete.map((candidate) => candidate.vmId)).toEqual([orphan.id]);
    expect(plan.refused).toEqual([
      expect.objectContaining({ vmId: foreign.id, reason: expect.stringContaining('tag cluster') }),
    ]);
  });

  it('for explicit ids, refuses VMs in use and ids not in the inventory, and counts each id once', () => {
    const plan = planOrphanCleanup(report, identity, [orphan.id, orphan.id, owned.id, 'i-unknown']);
    expect(plan.toDelete.map((candidate) => candidate.vmId)).toEqual([orphan.id]);
    expect(plan.refused.map((refusal) => refusal.vmId)).toEqual([owned.id, 'i-unknown']);
  });
});

describe('cleanupOrphans', () => {
  /** A cloud with a VM list and a deleteVm that takes a while, to let calls overlap. */
  function slowCloud(vms: PeerPodVm[]): CloudProvider & { deletions: string[] } {
    const deletions: string[] = [];
    return {
      name: 'aws',
      deletions,
      region: async () => 'us-east-2',
      describeSizes: async () => [],
      readVcpuQuotas: async () => [],
      resolveClusterScope: async (scope) => scope,
      // As the providers do: only the VMs in the scope, the others counted.
      listPeerPodVms: async (scope) =>
        partitionByScope(
          vms.filter((entry) => !deletions.includes(entry.id)),
          scope,
        ),
      deleteVm: async (target: PeerPodVm, context: ChangeContext): Promise<VmDeletionResult> => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        deletions.push(target.id);
        context.audit({
          user: context.actor,
          action: 'vm.delete',
          provider: 'aws',
          cloudIds: [target.id],
          result: 'succeeded',
          message: 'deleted',
        });
        return { vmId: target.id, name: target.name, deleted: [target.id], alreadyGone: false };
      },
      discoverPortRules: () => Promise.reject(new Error('not used')),
      planPortRules: () => {
        throw new Error('not used');
      },
      applyPortRules: () => Promise.reject(new Error('not used')),
      verifyPortRules: () => Promise.reject(new Error('not used')),
      consoleOutput: () => Promise.reject(new Error('not used')),
    };
  }

  it('deletes approved orphans once even when two requests race, and audits refusals', async () => {
    const orphans = [vm(podVmName('a', '00000001')), vm(podVmName('b', '00000002'))];
    const owned = vm(podVmName('web', '00000003'));
    const cloud = slowCloud([...orphans, owned]);
    const ledger = new DeletionLedger();
    const events: AuditEvent[] = [];
    const request = {
      provider: cloud,
      identity,
      vmIds: [...orphans.map((entry) => entry.id), owned.id],
      pods: [pod('shop', 'web', 'uid-web')],
      peerPods: [],
      ledger,
      now: NOW,
      context: { actor: 'alice', audit: (event: AuditEvent) => events.push(event) },
    };
    const [first, second] = await Promise.all([cleanupOrphans(request), cleanupOrphans(request)]);
    expect(cloud.deletions.sort()).toEqual(orphans.map((entry) => entry.id).sort());
    expect(first.deleted.length + second.deleted.length).toBe(2);
    expect(first.skipped.length + second.skipped.length).toBe(2);
    expect(first.refused.map((refusal) => refusal.vmId)).toEqual([owned.id]);
    expect(events.filter((event) => event.result === 'refused')).toHaveLength(2);
    expect(events.filter((event) => event.result === 'succeeded').map((event) => event.user)).toEqual([
      'alice',
      'alice',
    ]);
  });

  it('never offers or deletes another cluster’s VM, even one nobody claims that is named in the request', async () => {
    const ours = vm(podVmName('gone', '00000004'));
    const theirs = [
      vm(podVmName('gone', '00000005'), { tags: { cluster: 'c2' } }),
      vm(podVmName('old', '00000006'), { subnetId: 'subnet-2' }),
    ];
    const cloud = slowCloud([ours, ...theirs]);
    const listing = await cloud.listPeerPodVms(identity);
    expect(listing.excluded).toBe(2);
    const report = correlateInventory({ provider: 'aws', vms: listing.vms, pods: [], peerPods: [], now: NOW });
    expect(report.orphans.map((entry) => entry.vm.id)).toEqual([ours.id]);
    expect(planOrphanCleanup(report, identity).toDelete.map((candidate) => candidate.vmId)).toEqual([ours.id]);

    const result = await cleanupOrphans({
      provider: cloud,
      identity,
      vmIds: [ours.id, ...theirs.map((entry) => entry.id)],
      pods: [],
      peerPods: [],
      ledger: new DeletionLedger(),
      now: NOW,
      context: { actor: 'alice', audit: () => undefined },
    });
    expect(cloud.deletions).toEqual([ours.id]);
    expect(result.refused).toEqual(
      theirs.map((entry) =>
        expect.objectContaining({ vmId: entry.id, reason: 'No peer-pod VM with this id is in the current inventory.' }),
      ),
    );
  });
});
