// The Azure provider through the real @azure/identity, @azure/arm-compute and @azure/arm-network
// clients, against the stateful ARM + Entra ID test server over HTTPS (backend/test/arm-server).
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { podVmImageId, type ArmServer } from '../../../test/arm-server/server.ts';
import { armTestProvider, CLIENT_ID, startArmTestServer, SUBSCRIPTION, TENANT } from '../test/arm-provider.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import { createCloudProvider } from '../create-provider.ts';
import {
  cleanupOrphans,
  clusterIdentityFromSettings,
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
import { AzureCloudProvider, type AzureProviderOptions } from './provider.ts';
import { failure } from '../test/failure.ts';

const CLIENT_SECRET = 'Q8~peerpods-azure-client-secret-must-not-leak';
const RG = 'test-cluster-rg';
const NSG = 'test-cluster-nsg';
const WORKER_PREFIX = '10.0.32.0/19';
const CLUSTER_TAGS = { 'peerpods-cluster': 'test-cluster' };
const VM_COUNT = 1500;
const PAGE_SIZE = 100;
const WORKER_PROVIDER_ID = `azure:///subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/test-cluster-worker-1`;
/** All pod VMs were created half an hour ago. */
const CREATED = new Date(Date.now() - 30 * 60_000);

let arm: ArmServer;
const logs = memoryLogger();

function provider(overrides: Partial<AzureProviderOptions> = {}): AzureCloudProvider {
  return armTestProvider(arm, {
    resourceGroup: RG,
    clientSecret: CLIENT_SECRET,
    pollIntervalMs: 5,
    credentialsSource: 'Secret openshift-sandboxed-containers-operator/peer-pods-secret',
    logger: logs.logger,
    ...overrides,
  });
}

function recorder(actor = 'alice'): { context: ChangeContext; events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { context: { actor, audit: (event) => events.push(event) }, events };
}

const requestsTo = (method: string, pattern: RegExp) =>
  arm.requests.filter((request) => request.method === method && pattern.test(request.url.split('?')[0] ?? ''));

beforeAll(async () => {
  arm = await startArmTestServer(CLIENT_SECRET, { pageSize: PAGE_SIZE });
  arm.state.addNetworkSecurityGroup(RG, NSG, [
    { name: 'allow-ssh-from-bastion', priority: 112, sourceAddressPrefix: '10.0.0.4', destinationPortRange: '22' },
  ]);
  arm.state.addVirtualNetwork(RG, 'test-cluster-vnet', {
    addressPrefixes: ['10.0.0.0/16'],
    subnets: [
      { name: 'test-cluster-master-subnet', addressPrefix: '10.0.0.0/19', nsgName: NSG },
      { name: 'test-cluster-worker-subnet', addressPrefix: WORKER_PREFIX, nsgName: NSG },
    ],
  });
  arm.state.addVirtualMachine(RG, { name: 'test-cluster-worker-1', withDisk: false });
});

afterAll(async () => {
  await arm?.stop();
});

beforeEach(() => {
  arm.clearFaults();
  arm.requests.length = 0;
});

describe('inventory, correlation and orphans (1,500 peer-pod VMs)', () => {
  const pods: PodLike[] = [];
  const peerPods: PeerPodLike[] = [];
  let listed: PeerPodVm[] = [];
  let excluded = 0;
  let listPages = 0;
  const foreignName = 'podvm-theirs-0badc0de';
  const goneId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/podvm-lost-deadbeef`;
  const identity: ClusterIdentity = { provider: 'azure', tags: CLUSTER_TAGS, resourceGroup: RG };
  const afterGrace = () => new Date(CREATED.getTime() + 11 * 60_000);

  beforeAll(async () => {
    for (let i = 0; i < VM_COUNT; i += 1) {
      const podName = `web-${i}`;
      const namespace = `team-${i % 5}`;
      const name = podVmName(podName, `${i.toString(16).padStart(8, '0')}c0ffee`);
      // Every tenth VM was created with its OS disk set to go with it.
      const vm = arm.state.addVirtualMachine(RG, {
        name,
        tags: CLUSTER_TAGS,
        timeCreated: CREATED,
        vmSize: 'Standard_D2as_v5',
        diskDeleteOption: i % 10 === 2 ? 'Delete' : 'Detach',
      });
      if (i % 3 === 2) continue;
      const uid = `uid-${i}`;
      pods.push({
        metadata: { name: podName, namespace, uid },
        spec: { nodeName: `worker-${i % 4}`, runtimeClassName: 'kata-remote' },
        status: { phase: 'Running' },
      });
      if (i % 3 === 0) {
        // The adaptor writes the resource id; ARM ids come back in varying case.
        const instanceID = i % 2 === 0 ? vm.id : vm.id.toLowerCase();
        peerPods.push({
          metadata: { name: podName, namespace, ownerReferences: [{ kind: 'Pod', name: podName, uid }] },
          spec: { cloudProvider: 'azure', instanceID },
        });
      }
    }
    arm.state.addVirtualMachine(RG, {
      name: foreignName,
      tags: { 'peerpods-cluster': 'other-cluster' },
      timeCreated: CREATED,
    });
    peerPods.push({
      metadata: { name: 'lost', namespace: 'team-0' },
      spec: { cloudProvider: 'azure', instanceID: goneId },
    });

    // Another cluster's pod VM in another resource group of the subscription.
    arm.state.addVirtualMachine('other-cluster-rg', { name: 'podvm-elsewhere-0badf00d', timeCreated: CREATED });

    arm.requests.length = 0;
    ({ vms: listed, excluded } = await provider().listPeerPodVms(identity));
    listPages = requestsTo('GET', /\/virtualMachines$/).length;
  });

  it('lists every podvm- VM of this cluster in the resource group, following nextLink across pages', () => {
    expect(listPages).toBe(Math.ceil((VM_COUNT + 2) / PAGE_SIZE));
    expect(listed).toHaveLength(VM_COUNT);
    expect(new Set(listed.map((vm) => vm.id)).size).toBe(VM_COUNT);
    expect(listed.map((vm) => vm.name)).not.toContain('test-cluster-worker-1');
  });

  it('leaves out another cluster’s VMs: counts the one in the resource group, never lists other groups', () => {
    const names = listed.map((vm) => vm.name);
    expect(names).not.toContain(foreignName);
    expect(names).not.toContain('podvm-elsewhere-0badf00d');
    expect(excluded).toBe(1);
    expect(requestsTo('GET', /other-cluster-rg/)).toHaveLength(0);
  });

  it('with AZURE_SUBNET_ID, keeps only the VMs whose NIC is in that subnet', async () => {
    const subnet = (name: string) =>
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/test-cluster-vnet/subnets/${name}`;
    const tags = { 'peerpods-cluster': 'subnet-test' };
    const seed = (name: string, subnetId: string) =>
      arm.state.addVirtualMachine(RG, { name, tags, timeCreated: CREATED, subnetId });
    const inSubnet = seed('podvm-in-subnet-0000aaaa', subnet('test-cluster-worker-subnet'));
    seed('podvm-other-subnet-0000bbbb', subnet('other-cluster-subnet'));
    try {
      arm.requests.length = 0;
      const scoped = await provider().listPeerPodVms({
        ...identity,
        tags,
        subnetId: subnet('test-cluster-worker-subnet').toLowerCase(),
      });
      expect(scoped.vms.map((vm) => [vm.id, vm.subnetId])).toEqual([
        [inSubnet.id, subnet('test-cluster-worker-subnet')],
      ]);
      expect(scoped.excluded).toBe(VM_COUNT + 2);
      expect(requestsTo('GET', /\/networkInterfaces$/).length).toBeGreaterThan(1);
    } finally {
      arm.state.remove(inSubnet.id);
      arm.state.remove(arm.state.resourceId(RG, 'vm', 'podvm-other-subnet-0000bbbb'));
    }
  });

  it('reports id, name, state, size, creation time, tags, resource group and image of each VM', () => {
    const first = listed.find((vm) => vm.name === 'podvm-web-0-00000000');
    expect(first).toEqual({
      provider: 'azure',
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/podvm-web-0-00000000`,
      name: 'podvm-web-0-00000000',
      state: 'running',
      cloudState: 'Succeeded',
      instanceType: 'Standard_D2as_v5',
      launchTime: CREATED.toISOString(),
      tags: CLUSTER_TAGS,
      resourceGroup: RG,
      location: 'eastus',
      image: podVmImageId(SUBSCRIPTION, RG),
    });
  });

  it('correlates each VM with its PeerPod (resource id, any case), its pod and that pod’s node', () => {
    const report = correlateInventory({ provider: 'azure', vms: listed, pods, peerPods, now: afterGrace() });
    const byName = new Map(report.vms.map((entry) => [entry.vm.name, entry]));
    expect(byName.get('podvm-web-3-00000003')).toMatchObject({
      ownership: 'in-use',
      peerPod: { namespace: 'team-3', name: 'web-3' },
      pod: { name: 'web-3' },
      nodeName: 'worker-3',
    });
    expect(report.vms.filter((entry) => entry.peerPod)).toHaveLength(500);
    expect(report.vms.filter((entry) => entry.ownership === 'in-use')).toHaveLength(1000);
  });

  it('calls unclaimed VMs orphans only after the grace period, and reports the dangling PeerPod', () => {
    const early = correlateInventory({
      provider: 'azure',
      vms: listed,
      pods,
      peerPods,
      now: new Date(CREATED.getTime() + 5 * 60_000),
    });
    expect(early.orphans).toHaveLength(0);
    const late = correlateInventory({ provider: 'azure', vms: listed, pods, peerPods, now: afterGrace() });
    expect(late.orphans).toHaveLength(500);
    expect(late.dangling).toEqual([
      expect.objectContaining({ peerPod: { namespace: 'team-0', name: 'lost' }, instanceID: goneId }),
    ]);
  });

  it('dry run lists exactly this cluster’s orphans, never the other cluster’s VM, and deletes nothing', () => {
    const plan = planOrphanCleanup(
      correlateInventory({ provider: 'azure', vms: listed, pods, peerPods, now: afterGrace() }),
      identity,
    );
    expect(plan.toDelete).toHaveLength(500);
    expect(plan.toDelete.every((candidate) => Number(candidate.name.split('-')[2]) % 3 === 2)).toBe(true);
    expect(plan.refused).toEqual([]);
    expect(arm.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
  });

  it('cleanup deletes each approved VM, then its NIC and disk if they remain, once for two racing requests', async () => {
    const report = correlateInventory({ provider: 'azure', vms: listed, pods, peerPods, now: afterGrace() });
    const approved = ['podvm-web-2-00000002', 'podvm-web-5-00000005', 'podvm-web-8-00000008'].map(
      (name) => report.orphans.find((entry) => entry.vm.name === name)?.vm.id ?? name,
    );
    const inUse = report.vms.find((entry) => entry.ownership === 'in-use')?.vm.id ?? '';
    const foreign = arm.state.resourceId(RG, 'vm', foreignName);
    const audit = recorder('alice');
    const request = {
      provider: provider(),
      identity,
      vmIds: [...approved, inUse, foreign],
      pods,
      peerPods,
      ledger: new DeletionLedger(),
      now: afterGrace(),
      context: audit.context,
    };
    const results = await Promise.all([cleanupOrphans(request), cleanupOrphans(request)]);

    expect(results.flatMap((result) => result.deleted.map((deleted) => deleted.vmId)).sort()).toEqual(
      [...approved].sort(),
    );
    expect(results[0]?.refused.map((refusal) => refusal.vmId)).toEqual([inUse, foreign]);
    expect(results[0]?.refused[1]?.reason).toBe('No peer-pod VM with this id is in the current inventory.');
    for (const name of ['podvm-web-2-00000002', 'podvm-web-5-00000005', 'podvm-web-8-00000008']) {
      expect(arm.state.get(RG, 'vm', name)).toBeUndefined();
      expect(arm.state.get(RG, 'nic', `${name}-net`)).toBeUndefined();
      expect(arm.state.get(RG, 'disk', `${name}-disk`)).toBeUndefined();
    }
    expect(arm.state.get(RG, 'vm', foreignName)).toBeDefined();
    // VM 2's disk went with the VM (deleteOption Delete), so only two disks needed deleting.
    expect(requestsTo('DELETE', /\/virtualMachines\//)).toHaveLength(3);
    expect(requestsTo('DELETE', /\/networkInterfaces\//)).toHaveLength(3);
    expect(requestsTo('DELETE', /\/disks\//)).toHaveLength(2);
    expect(requestsTo('GET', /\/operations\//).length).toBeGreaterThanOrEqual(8 * 3);
    const vm2 = results.flatMap((result) => result.deleted).find((deleted) => deleted.name === 'podvm-web-2-00000002');
    expect(vm2?.deleted).toEqual([approved[0], arm.state.resourceId(RG, 'nic', 'podvm-web-2-00000002-net')]);
    expect(
      audit.events
        .filter((event) => event.result === 'succeeded')
        .map((event) => event.cloudIds.length)
        .sort(),
    ).toEqual([2, 3, 3]);
  });

  it('a repeated cleanup of deleted VMs deletes nothing', async () => {
    const gone = listed.find((vm) => vm.name === 'podvm-web-5-00000005')?.id ?? '';
    const result = await cleanupOrphans({
      provider: provider(),
      identity,
      vmIds: [gone],
      pods,
      peerPods,
      ledger: new DeletionLedger(),
      now: afterGrace(),
      context: recorder().context,
    });
    expect(result.deleted).toEqual([]);
    expect(result.refused).toEqual([
      expect.objectContaining({ vmId: gone, reason: expect.stringContaining('in the current inventory') }),
    ]);
    expect(arm.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
  });

  it('deleteVm removes leftover NIC and disk of a VM that is already gone', async () => {
    const name = 'podvm-web-11-0000000b';
    const vm = listed.find((entry) => entry.name === name);
    if (!vm) throw new Error('fixture VM missing');
    arm.state.remove(vm.id);
    const audit = recorder();
    const result = await provider().deleteVm(vm, audit.context);
    expect(result).toEqual({
      vmId: vm.id,
      name,
      alreadyGone: true,
      deleted: [arm.state.resourceId(RG, 'nic', `${name}-net`), arm.state.resourceId(RG, 'disk', `${name}-disk`)],
    });
  });

  it('deleteVm refuses a VM outside the pod-VM resource group', async () => {
    const vm = listed.find((entry) => entry.name === 'podvm-web-14-0000000e');
    if (!vm) throw new Error('fixture VM missing');
    const audit = recorder();
    const error = await failure(() =>
      provider().deleteVm({ ...vm, id: vm.id.replace(RG, 'someone-elses-rg') }, audit.context),
    );
    expect(error.code).toBe('conflict');
    expect(audit.events).toEqual([expect.objectContaining({ result: 'refused' })]);
    expect(arm.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
  });
});

describe('what a cleanup of one VM deletes', () => {
  const TAGS = { 'peerpods-cluster': 'resources-test' };
  const ours: ClusterIdentity = { provider: 'azure', tags: TAGS, resourceGroup: RG };
  const afterGrace = () => new Date(CREATED.getTime() + 11 * 60_000);

  it('the dry run names the VM, its NIC and its disk; the cleanup deletes exactly those', async () => {
    const name = podVmName('resources', 'feedface00');
    const seeded = arm.state.addVirtualMachine(RG, { name, tags: TAGS, timeCreated: CREATED });
    const { vms } = await provider().listPeerPodVms(ours);
    const report = correlateInventory({ provider: 'azure', vms, pods: [], peerPods: [], now: afterGrace() });
    const plan = planOrphanCleanup(report, ours, [seeded.id]);
    expect(plan.toDelete.map((candidate) => candidate.resources)).toEqual([
      [
        { kind: 'virtual-machine', name },
        { kind: 'network-interface', name: `${name}-net` },
        { kind: 'disk', name: `${name}-disk` },
      ],
    ]);
    expect(requestsTo('DELETE', /./)).toHaveLength(0);

    const result = await cleanupOrphans({
      provider: provider(),
      identity: ours,
      vmIds: [seeded.id],
      pods: [],
      peerPods: [],
      ledger: new DeletionLedger(),
      now: afterGrace(),
      context: recorder().context,
    });
    expect(result.deleted.map((deleted) => deleted.resources)).toEqual(plan.toDelete.map((c) => c.resources));
    for (const [kind, resource] of [
      ['vm', name],
      ['nic', `${name}-net`],
      ['disk', `${name}-disk`],
    ] as const) {
      expect(arm.state.get(RG, kind, resource)).toBeUndefined();
    }
  });

  it('the cleanup names only what it deleted when the disk went with the VM', async () => {
    const name = podVmName('resources-gone', 'feedface01');
    const seeded = arm.state.addVirtualMachine(RG, {
      name,
      tags: TAGS,
      timeCreated: CREATED,
      diskDeleteOption: 'Delete',
    });
    const result = await cleanupOrphans({
      provider: provider(),
      identity: ours,
      vmIds: [seeded.id],
      pods: [],
      peerPods: [],
      ledger: new DeletionLedger(),
      now: afterGrace(),
      context: recorder().context,
    });
    expect(result.deleted.map((deleted) => deleted.resources)).toEqual([
      [
        { kind: 'virtual-machine', name },
        { kind: 'network-interface', name: `${name}-net` },
      ],
    ]);
  });
});

describe('port rules', () => {
  const nsgId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/networkSecurityGroups/${NSG}`;

  it('discovers the NSG, the VNet, the worker subnet and its prefix', async () => {
    const discovery = await provider().discoverPortRules(WORKER_PROVIDER_ID);
    expect(discovery).toMatchObject({
      provider: 'azure',
      resourceGroup: RG,
      workerVmName: 'test-cluster-worker-1',
      nsg: { id: nsgId, name: NSG },
      vnet: { name: 'test-cluster-vnet' },
      subnet: { name: 'test-cluster-worker-subnet', addressPrefix: WORKER_PREFIX },
    });
    expect(discovery.nsg.rules.map((rule) => rule.name)).toEqual(['allow-ssh-from-bastion']);
  });

  it('plans both rules, moving the kata-agent rule past the taken priority 112 and saying so', async () => {
    const azure = provider();
    const plan = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    expect(plan.rules.map((rule) => [rule.azure?.ruleName, rule.azure?.priority, rule.status])).toEqual([
      ['Allow-Kata-Agent-Internal', 113, 'missing'],
      ['Allow-VXLAN-Internal', 111, 'missing'],
    ]);
    expect(plan.notes).toEqual([
      `Priority 112 of NSG ${NSG} is used by allow-ssh-from-bastion; Allow-Kata-Agent-Internal will use priority 113 instead.`,
    ]);
    expect(plan.commands[1]).toBe(
      `az network nsg rule create --resource-group ${RG} --nsg-name ${NSG} --name Allow-VXLAN-Internal --priority 111 --access Allow --protocol Tcp --direction Inbound --source-address-prefixes ${WORKER_PREFIX} --source-port-ranges '*' --destination-address-prefixes ${WORKER_PREFIX} --destination-port-ranges 9000`,
    );
  });

  it('reports a denied write as a permission error and records the failed attempt', async () => {
    const azure = provider();
    const plan = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    arm.inject({
      method: 'PUT',
      path: /\/securityRules\//,
      status: 403,
      code: 'AuthorizationFailed',
      message: `The client '${CLIENT_ID}' does not have authorization to perform action 'Microsoft.Network/networkSecurityGroups/securityRules/write'.`,
    });
    const audit = recorder('bob');
    const error = await failure(() => azure.applyPortRules(plan, audit.context));
    expect(error).toMatchObject({ code: 'permission', cloudCode: 'AuthorizationFailed', httpStatus: 403 });
    expect(audit.events).toEqual([
      expect.objectContaining({ user: 'bob', action: 'port-rule.create', result: 'failed', errorCode: 'permission' }),
    ]);
    expect(arm.state.securityRules(RG, NSG)).toHaveLength(1);
  });

  it('applies the rules as long-running operations and verification reads them back', async () => {
    const azure = provider();
    const plan = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    arm.requests.length = 0;
    const audit = recorder('alice');
    const result = await azure.applyPortRules(plan, audit.context);

    expect(result.rules.map((rule) => rule.outcome)).toEqual(['created', 'created']);
    expect(requestsTo('PUT', /\/securityRules\//)).toHaveLength(2);
    expect(requestsTo('GET', /\/operations\//).length).toBeGreaterThanOrEqual(6);
    expect(arm.state.securityRule(RG, NSG, 'Allow-Kata-Agent-Internal')?.properties).toMatchObject({
      priority: 113,
      access: 'Allow',
      protocol: 'Tcp',
      direction: 'Inbound',
      sourceAddressPrefix: WORKER_PREFIX,
      sourcePortRange: '*',
      destinationAddressPrefix: WORKER_PREFIX,
      destinationPortRange: '15150',
      provisioningState: 'Succeeded',
    });
    expect(audit.events.map((event) => [event.user, event.action, event.result, event.cloudIds[1]])).toEqual([
      ['alice', 'port-rule.create', 'succeeded', `${nsgId}/securityRules/Allow-Kata-Agent-Internal`],
      ['alice', 'port-rule.create', 'succeeded', `${nsgId}/securityRules/Allow-VXLAN-Internal`],
    ]);
    expect(await azure.verifyPortRules(plan)).toMatchObject({
      ok: true,
      rules: [{ status: 'present' }, { status: 'present' }],
    });
  });

  it('re-applying is idempotent: nothing to do for a fresh plan, no write for a stale one', async () => {
    const azure = provider();
    const fresh = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 9000,
      includeUdp: false,
    });
    expect(fresh.upToDate).toBe(true);
    const stale = {
      ...fresh,
      rules: fresh.rules.map((rule) => ({ ...rule, status: 'missing' as const, action: 'create' as const })),
    };
    arm.requests.length = 0;
    const result = await azure.applyPortRules(stale, recorder().context);
    expect(result.rules.map((rule) => rule.outcome)).toEqual(['already-present', 'already-present']);
    expect(requestsTo('PUT', /\/securityRules\//)).toHaveLength(0);
  });

  it('turns a priority taken between plan and apply into a conflict, and a new plan moves past it', async () => {
    const azure = provider();
    const plan = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 9000,
      includeUdp: true,
    });
    const udp = plan.rules.find((rule) => rule.key === 'vxlan-udp');
    expect(udp).toMatchObject({ status: 'missing', azure: { ruleName: 'Allow-VXLAN-UDP-Internal', priority: 114 } });
    arm.state.setSecurityRule(RG, NSG, {
      name: 'added-meanwhile',
      id: `${nsgId}/securityRules/added-meanwhile`,
      properties: {
        priority: 114,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '443',
      },
    });
    const audit = recorder();
    const error = await failure(() => azure.applyPortRules(plan, audit.context));
    expect(error).toMatchObject({ code: 'conflict', cloudCode: 'SecurityRuleConflict', httpStatus: 409 });
    expect(error.message).toContain('Run discovery again');
    expect(audit.events.at(-1)).toMatchObject({ result: 'failed', errorCode: 'conflict' });

    const replanned = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 9000,
      includeUdp: true,
    });
    expect(replanned.rules.find((rule) => rule.key === 'vxlan-udp')?.azure?.priority).toBe(115);
    await azure.applyPortRules(replanned, recorder().context);
    expect((await azure.verifyPortRules(replanned)).ok).toBe(true);
  });

  it('reports a missing resource group as not found', async () => {
    const error = await failure(() =>
      provider({ networkResourceGroup: 'no-such-rg' }).discoverPortRules(WORKER_PROVIDER_ID),
    );
    expect(error).toMatchObject({ code: 'not_found', cloudCode: 'ResourceGroupNotFound', httpStatus: 404 });
  });
});

describe('cloud errors', () => {
  it('retries throttling (429 with Retry-After) until the call succeeds', async () => {
    arm.inject({
      method: 'GET',
      path: /\/virtualNetworks$/,
      times: 2,
      status: 429,
      code: 'TooManyRequests',
      retryAfterSeconds: 1,
    });
    const discovery = await provider().discoverPortRules(WORKER_PROVIDER_ID);
    expect(discovery.subnet.addressPrefix).toBe(WORKER_PREFIX);
    expect(requestsTo('GET', /\/virtualNetworks$/).map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it('gives up with a throttled error when throttling persists', async () => {
    arm.inject({
      method: 'GET',
      path: /\/virtualNetworks$/,
      times: Infinity,
      status: 429,
      code: 'TooManyRequests',
      retryAfterSeconds: 0,
    });
    const error = await failure(() => provider({ maxRetries: 1 }).discoverPortRules(WORKER_PROVIDER_ID));
    expect(error).toMatchObject({ code: 'throttled', httpStatus: 429, retryable: true });
    expect(requestsTo('GET', /\/virtualNetworks$/)).toHaveLength(2);
  });

  it('turns a wrong client secret into an auth error that names the Secret and its keys', async () => {
    const error = await failure(() =>
      provider({ clientSecret: 'wrong-secret-value-0000' }).listPeerPodVms({ provider: 'azure', tags: {} }),
    );
    expect(error).toMatchObject({ code: 'auth', cloudCode: 'invalid_client, AADSTS7000215' });
    expect(error.message).toContain('Secret openshift-sandboxed-containers-operator/peer-pods-secret');
    expect(error.message).toContain('AZURE_CLIENT_SECRET');
    expect(arm.requests.filter((request) => request.url.includes('/providers/Microsoft.Compute/'))).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('no result, audit event, error or log line carries a credential, even when Azure echoes one', async () => {
    const b64 = (value: string) => Buffer.from(value).toString('base64');
    const captured = memoryLogger();
    const settings = parseCloudSettings({
      configMap: {
        metadata: { name: 'peer-pods-cm', namespace: 'osc' },
        data: { CLOUD_PROVIDER: 'azure', AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, AZURE_RESOURCE_GROUP: RG },
      },
      secret: {
        metadata: { name: 'peer-pods-secret', namespace: 'osc' },
        data: {
          AZURE_CLIENT_ID: b64(CLIENT_ID),
          AZURE_CLIENT_SECRET: b64(CLIENT_SECRET),
          AZURE_TENANT_ID: b64(TENANT),
        },
      },
    });
    const options = {
      logger: captured.logger,
      azureArmEndpoint: arm.endpoint,
      azureAuthorityHost: arm.authorityHost,
      azureCaCertificates: arm.caCertificate,
    };
    const azure = createCloudProvider(settings, options);
    const audit = recorder();
    const scope = clusterIdentityFromSettings(settings);
    const outputs: unknown[] = [settings, await azure.listPeerPodVms(scope)];
    const plan = azure.planPortRules(await azure.discoverPortRules(WORKER_PROVIDER_ID), {
      vxlanPort: 4789,
      includeUdp: false,
    });
    outputs.push(plan);

    arm.inject({
      method: 'PUT',
      path: /\/securityRules\//,
      status: 400,
      code: 'InvalidRequestFormat',
      message: `bad value ${CLIENT_SECRET}`,
    });
    const wrongSecret = 'wrong-secret-that-must-not-leak-either';
    const wrong = parseCloudSettings({
      ...{
        configMap: { data: { CLOUD_PROVIDER: 'azure', AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, AZURE_RESOURCE_GROUP: RG } },
      },
      secret: {
        data: { AZURE_CLIENT_ID: b64(CLIENT_ID), AZURE_CLIENT_SECRET: b64(wrongSecret), AZURE_TENANT_ID: b64(TENANT) },
      },
    });
    const errors = [
      await failure(() => azure.applyPortRules(plan, audit.context)),
      await failure(() => createCloudProvider(wrong, options).listPeerPodVms(scope)),
    ];

    expect(errors.map((error) => error.code)).toEqual(['invalid_config', 'auth']);
    expect(errors[0]?.message).toContain('[redacted]');
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
      logs.text(),
    ].join('\n');
    expect(captured.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(wrongSecret);
  });
});
