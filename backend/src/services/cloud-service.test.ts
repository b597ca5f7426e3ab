// The cloud service without a cloud: GET /ports readers share one reading (the discovery, API
// server + cloud calls, is replaced by a counter of readings), and a cleanup's audit becomes one
// Event per outcome.
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import type { PortRulesReport } from '@peer-pods-console/contract';
import { KubeClient } from '../kube/client.ts';
import type { EventRecorder } from '../kube/events.ts';
import { createLogger } from '../logging.ts';
import type { PeerPodView, PodView } from '../capacity/objects.ts';
import { partitionByScope } from '../cloud/inventory.ts';
import type { CloudProvider, PeerPodVm } from '../cloud/provider.ts';
import { confirmationKey, issueConfirmation } from '../cloud/cleanup-confirmation.ts';
import { CloudService, type CloudServiceOptions } from './cloud-service.ts';

/** A cluster no request reaches: the readings below never leave the service. */
function unusedKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'none', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'none' }],
    contexts: [{ name: 'none', cluster: 'none', user: 'none' }],
    currentContext: 'none',
  });
  return kc;
}

const unusedClient = await KubeClient.create(unusedKubeConfig());

type Claims = { pods: PodView[]; peerPods: PeerPodView[] };

function serviceCountingReadings(
  options: {
    fail?: () => boolean;
    recorder?: EventRecorder;
    cached?: Claims;
    now?: Claims;
    synced?: boolean;
    sizes?: CloudServiceOptions['sizes'];
  } = {},
) {
  const service = new CloudService({
    sizes: options.sizes,
    client: unusedClient,
    logger: createLogger('silent'),
    recorder: options.recorder ?? ({} as EventRecorder),
    peerPodConfig: { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' },
    orphanGraceMs: 0,
    inventoryIntervalMs: 60_000,
    pods: () => options.cached?.pods ?? [],
    peerPods: () => options.cached?.peerPods ?? [],
    claimsNow: async () => options.now ?? { pods: [], peerPods: [] },
    claimsSynced: () => options.synced ?? true,
  });
  const readings = { count: 0 };
  const internals = service as unknown as {
    plan: (request: { includeUdp: boolean }) => Promise<unknown>;
    report: (plan: unknown) => PortRulesReport;
    applyNow: () => Promise<unknown>;
  };
  vi.spyOn(internals, 'plan').mockImplementation(async (request) => {
    readings.count += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (options.fail?.()) throw new Error('DescribeSecurityGroups: throttled');
    return { provider: {}, plan: { includeUdp: request.includeUdp, reading: readings.count } };
  });
  vi.spyOn(internals, 'report').mockImplementation(
    (plan) => ({ platform: 'aws', reading: (plan as { reading: number }).reading }) as unknown as PortRulesReport,
  );
  vi.spyOn(internals, 'applyNow').mockResolvedValue({ results: [] });
  return { service, readings };
}

describe('port rule status', () => {
  it('serves 100 readers, at once and one after another, from one cloud reading', async () => {
    const { service, readings } = serviceCountingReadings();
    await Promise.all(Array.from({ length: 50 }, () => service.status({ includeUdp: false })));
    for (let i = 0; i < 50; i++) await service.status({ includeUdp: false });
    expect(readings.count).toBe(1);
    await service.status({ includeUdp: true });
    expect(readings.count).toBe(2);
  });

  it('reads the cloud now for a fresh request, and shares that reading with later ones', async () => {
    const { service, readings } = serviceCountingReadings();
    await service.status({ includeUdp: false });
    await expect(service.status({ includeUdp: false }, { fresh: true })).resolves.toMatchObject({ reading: 2 });
    await expect(service.status({ includeUdp: false })).resolves.toMatchObject({ reading: 2 });
    expect(readings.count).toBe(2);
  });

  it('reads the cloud again after rules were applied', async () => {
    const { service, readings } = serviceCountingReadings();
    await service.status({ includeUdp: false });
    await service.apply({ includeUdp: false }, { username: 'test-admin', groups: [] });
    expect((await service.status({ includeUdp: false })) as unknown as { reading: number }).toMatchObject({
      reading: 2,
    });
    expect(readings.count).toBe(2);
  });

  it('keeps no failed reading: the next reader asks the cloud again', async () => {
    let failing = true;
    const { service, readings } = serviceCountingReadings({ fail: () => failing });
    await expect(service.status({ includeUdp: false })).rejects.toThrow();
    failing = false;
    await expect(service.status({ includeUdp: false })).resolves.toMatchObject({ reading: 2 });
    expect(readings.count).toBe(2);
  });
});

describe('the audit of a cleanup', () => {
  it('is one Warning for 500 refused ids, filed as a refusal, and one Normal Event for the deletions', () => {
    const events: { type: string; reason: string; message: string }[] = [];
    const recorder = {
      event: (_object: unknown, type: string, reason: string, message: string) =>
        events.push({ type, reason, message }),
    } as unknown as EventRecorder;
    const { service } = serviceCountingReadings({ recorder });
    const refused = Array.from({ length: 500 }, (_, i) => ({
      user: 'test-admin',
      action: 'vm.delete' as const,
      provider: 'aws' as const,
      cloudIds: [`i-unknown${i}`],
      result: 'refused' as const,
      message: `i-unknown${i} is not in the inventory`,
    }));
    const deleted = {
      ...refused[0]!,
      cloudIds: ['i-0abc'],
      result: 'succeeded' as const,
      message: 'Terminated EC2 instance i-0abc (podvm-web-1a2b3c4d).',
    };
    (service as unknown as { auditCleanup: (user: string, e: unknown[]) => void }).auditCleanup('test-admin', [
      ...refused,
      deleted,
    ]);
    expect(events.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', 'PeerPodVmDeleted'],
      ['Warning', 'PeerPodVmDeleteRefused'],
    ]);
    expect(events[0]!.message).toBe(
      'test-admin: deleted 1 peer-pod VM(s): Terminated EC2 instance i-0abc (podvm-web-1a2b3c4d). [i-0abc]',
    );
    expect(events[1]!.message).toMatch(/^test-admin: refused to delete 500 peer-pod VM\(s\): i-unknown0 /);
    expect(events[1]!.message).toMatch(/ … and 490 more$/);
  });
});

describe('orphan cleanup', () => {
  const ADMIN = { username: 'test-admin', groups: [] };
  const vm: PeerPodVm = {
    provider: 'aws',
    id: 'i-0fresh',
    name: 'podvm-web-1a2b3c4d',
    state: 'running',
    cloudState: 'running',
    launchTime: '2026-01-01T00:00:00Z',
    tags: {},
    subnetId: 'subnet-workers',
  };
  const pod = (name: string): PodView => ({
    metadata: { name, namespace: 'shop', resourceVersion: '9', uid: `uid-${name}` },
    nodeName: 'worker-0',
    runtimeClassName: 'kata-remote',
    vmRequest: 1,
    requestsVm: true,
    phase: 'Pending',
    terminal: false,
    terminating: false,
  });

  function cleanupService(claims: { cached: Claims; now: Claims; synced?: boolean }) {
    const { service } = serviceCountingReadings({
      ...claims,
      recorder: { event: () => undefined } as unknown as EventRecorder,
    });
    const deleteVm = vi.fn(async () => ({ vmId: vm.id, name: vm.name, deleted: [vm.id], alreadyGone: false }));
    const provider = {
      name: 'aws',
      resolveClusterScope: async (scope: unknown) => scope,
      listPeerPodVms: async () => ({ vms: [vm], excluded: 0 }),
      deleteVm,
    } as unknown as CloudProvider;
    vi.spyOn(service as unknown as { cloud: () => Promise<unknown> }, 'cloud').mockResolvedValue({
      provider,
      settings: { provider: 'aws', tags: {}, subnetId: 'subnet-workers' },
      confirmationKey: confirmationKey({ AWS_ACCESS_KEY_ID: 'QUtJQQ==' }),
    });
    return { service, deleteVm };
  }

  it('judges from the API server, not a cache that fell behind: a pod created since keeps its VM', async () => {
    const { service, deleteVm } = cleanupService({
      cached: { pods: [], peerPods: [] },
      now: { pods: [pod('web')], peerPods: [] },
    });
    const preview = await service.cleanup({ vmIds: [vm.id], dryRun: true }, ADMIN);
    expect(preview.results).toEqual([expect.objectContaining({ id: vm.id, outcome: 'refused' })]);
    expect(preview.confirmation).toBeNull();
    // Even a confirmation from a moment earlier, when the cache still showed no pod, deletes nothing.
    const earlier = issueConfirmation(confirmationKey({ AWS_ACCESS_KEY_ID: 'QUtJQQ==' }), 'test-admin', [vm.id]);
    const result = await service.cleanup({ vmIds: [vm.id], dryRun: false, confirmation: earlier }, ADMIN);
    expect(result.results).toEqual([
      expect.objectContaining({ id: vm.id, outcome: 'refused', message: expect.stringContaining('shop/web') }),
    ]);
    expect(deleteVm).not.toHaveBeenCalled();
  });

  it('deletes a VM no pod claims in the API server', async () => {
    const { service, deleteVm } = cleanupService({
      cached: { pods: [pod('web')], peerPods: [] },
      now: { pods: [], peerPods: [] },
    });
    const preview = await service.cleanup({ vmIds: [vm.id], dryRun: true }, ADMIN);
    expect(preview.results).toEqual([expect.objectContaining({ id: vm.id, outcome: 'would-delete' })]);
    // The API answers it 409 (server/errors.test.ts).
    await expect(service.cleanup({ vmIds: [vm.id], dryRun: false }, ADMIN)).rejects.toMatchObject({
      kind: 'not-confirmed',
      code: 'not_confirmed',
    });
    expect(deleteVm).not.toHaveBeenCalled();
    const result = await service.cleanup(
      { vmIds: [vm.id], dryRun: false, confirmation: preview.confirmation ?? undefined },
      ADMIN,
    );
    expect(result.results).toEqual([expect.objectContaining({ id: vm.id, outcome: 'deleted' })]);
    expect(deleteVm).toHaveBeenCalledTimes(1);
  });

  it('deletes only what the confirmed dry run offered; other ids in the request are refused, each saying why', async () => {
    const { service, deleteVm } = cleanupService({
      cached: { pods: [], peerPods: [] },
      now: { pods: [], peerPods: [] },
    });
    const preview = await service.cleanup({ vmIds: [vm.id], dryRun: true }, ADMIN);
    const result = await service.cleanup(
      { vmIds: [vm.id, 'i-never-previewed'], dryRun: false, confirmation: preview.confirmation ?? undefined },
      ADMIN,
    );
    expect(result.results).toEqual([
      expect.objectContaining({ id: vm.id, outcome: 'deleted' }),
      expect.objectContaining({
        id: 'i-never-previewed',
        outcome: 'refused',
        message: expect.stringContaining('did not offer'),
      }),
    ]);
    expect(deleteVm).toHaveBeenCalledTimes(1);
  });

  it('says per VM what its deletion removes, in the dry run and in the cleanup’s result', async () => {
    const { service } = cleanupService({ cached: { pods: [], peerPods: [] }, now: { pods: [], peerPods: [] } });
    const preview = await service.cleanup({ vmIds: [vm.id], dryRun: true }, ADMIN);
    expect(preview.results).toEqual([
      expect.objectContaining({ id: vm.id, resources: [{ kind: 'ec2-instance', name: vm.id }] }),
    ]);
    const result = await service.cleanup(
      { vmIds: [vm.id], dryRun: false, confirmation: preview.confirmation ?? undefined },
      ADMIN,
    );
    expect(result.results).toEqual([
      expect.objectContaining({ id: vm.id, outcome: 'deleted', resources: [{ kind: 'ec2-instance', name: vm.id }] }),
    ]);
  });

  it('is refused while the pods and PeerPods have not been listed once', async () => {
    const { service, deleteVm } = cleanupService({
      cached: { pods: [], peerPods: [] },
      now: { pods: [], peerPods: [] },
      synced: false,
    });
    // The API answers it 503 (server/errors.test.ts).
    await expect(service.cleanup({ vmIds: [vm.id], dryRun: false }, ADMIN)).rejects.toMatchObject({
      kind: 'not-ready',
      code: 'not_ready',
    });
    expect(deleteVm).not.toHaveBeenCalled();
  });
});

describe('the inventory after a cleanup', () => {
  const ADMIN = { username: 'test-admin', groups: [] };
  const orphanVm: PeerPodVm = {
    provider: 'aws',
    id: 'i-0orphan',
    name: 'podvm-lost-batch-1a2b3c4d',
    state: 'running',
    cloudState: 'running',
    launchTime: '2026-01-01T00:00:00Z',
    tags: {},
    subnetId: 'subnet-workers',
  };

  /**
   * A cloud holding one orphan VM, which after its deletion no longer lists it (`removes`), still
   * lists it running for a while (`still-lists`), or cannot be listed (`unreachable`).
   * `holdListing` makes the next listing wait for the returned release.
   */
  function serviceWithOrphan({ afterDelete }: { afterDelete: 'removes' | 'still-lists' | 'unreachable' }) {
    const { service } = serviceCountingReadings({ recorder: { event: () => undefined } as unknown as EventRecorder });
    let cloud = [orphanVm];
    let deleted = false;
    let held: Promise<void> | undefined;
    const provider = {
      name: 'aws',
      resolveClusterScope: async (scope: unknown) => scope,
      listPeerPodVms: async () => {
        if (deleted && afterDelete === 'unreachable') throw new Error('DescribeInstances: RequestLimitExceeded');
        const listed = cloud.slice();
        const wait = held;
        held = undefined;
        await wait;
        return { vms: listed, excluded: 0 };
      },
      deleteVm: async (vm: PeerPodVm) => {
        deleted = true;
        if (afterDelete !== 'still-lists') cloud = cloud.filter((entry) => entry.id !== vm.id);
        return { vmId: vm.id, name: vm.name, deleted: [vm.id], alreadyGone: false };
      },
    } as unknown as CloudProvider;
    vi.spyOn(service as unknown as { cloud: () => Promise<unknown> }, 'cloud').mockResolvedValue({
      provider,
      settings: { provider: 'aws', tags: {}, subnetId: 'subnet-workers' },
      confirmationKey: confirmationKey({ AWS_ACCESS_KEY_ID: 'QUtJQQ==' }),
    });
    const holdListing = () => {
      let release = () => undefined as void;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    };
    const cleanUp = async () => {
      const preview = await service.cleanup({ vmIds: [orphanVm.id], dryRun: true }, ADMIN);
      return service.cleanup(
        { vmIds: [orphanVm.id], dryRun: false, confirmation: preview.confirmation ?? undefined },
        ADMIN,
      );
    };
    return { service, holdListing, cleanUp };
  }

  it('is listed after the deletion, not joined to a listing begun before it', async () => {
    const { service, holdListing, cleanUp } = serviceWithOrphan({ afterDelete: 'removes' });
    expect((await service.inventory()).vms).toEqual([expect.objectContaining({ id: orphanVm.id, orphan: true })]);
    // The periodic listing starts while the VM is still there, and answers only after the deletion.
    const release = holdListing();
    const before = service.refreshInventory();
    const cleanup = cleanUp();
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const [result] = await Promise.all([cleanup, before]);
    expect(result.results).toEqual([expect.objectContaining({ id: orphanVm.id, outcome: 'deleted' })]);

    // The answer came after a listing that no longer has the VM.
    expect((await service.inventory()).vms).toEqual([]);
    expect(service.orphanCount()).toBe(0);
  });

  it('shows a deleted VM the cloud still lists as being deleted, not as a running orphan', async () => {
    const { service, cleanUp } = serviceWithOrphan({ afterDelete: 'still-lists' });
    await service.inventory();
    await cleanUp();

    expect((await service.inventory()).vms).toEqual([
      expect.objectContaining({
        id: orphanVm.id,
        state: 'deleting',
        orphan: false,
        orphanReason: 'A cleanup deleted this VM; the cloud has not removed it yet.',
      }),
    ]);
    expect(service.orphanCount()).toBe(0);
  });

  it('shows a deleted VM as being deleted when the cloud could not be listed after the cleanup', async () => {
    const { service, cleanUp } = serviceWithOrphan({ afterDelete: 'unreachable' });
    await service.inventory();
    await cleanUp();

    const inventory = await service.inventory();
    expect(inventory.error).not.toBeNull();
    expect(inventory.vms).toEqual([expect.objectContaining({ id: orphanVm.id, state: 'deleting', orphan: false })]);
    expect(service.orphanCount()).toBe(0);
  });
});

describe('the VM inventory', () => {
  const vm = (name: string, overrides: Partial<PeerPodVm> = {}): PeerPodVm => ({
    provider: 'aws',
    id: `i-${name}`,
    name: `podvm-${name}-1a2b3c4d`,
    state: 'running',
    cloudState: 'running',
    launchTime: '2026-01-01T00:00:00Z',
    tags: { cluster: 'ours' },
    subnetId: 'subnet-a',
    vpcId: 'vpc-ours',
    ...overrides,
  });

  /** A cloud with this cluster's VM, one in another VPC and one with another cluster's TAGS. */
  function serviceWithForeignVms(sizes?: CloudServiceOptions['sizes']) {
    const { service } = serviceCountingReadings({
      recorder: { event: () => undefined } as unknown as EventRecorder,
      sizes,
    });
    const cloud = [
      vm('web', { instanceType: 'm6a.large', zone: 'us-east-2b', location: 'us-east-2b', image: 'ami-0podvm' }),
      vm('theirs', { vpcId: 'vpc-theirs' }),
      vm('other', { tags: { cluster: 'other' } }),
    ];
    const nodeLookups: string[][] = [];
    const deleteVm = vi.fn();
    const provider = {
      name: 'aws',
      resolveClusterScope: async (identity: object, nodes: () => Promise<string[]>) => {
        nodeLookups.push(await nodes());
        return { ...identity, vpcIds: ['vpc-ours'] };
      },
      listPeerPodVms: async (scope: Parameters<typeof partitionByScope>[1]) => partitionByScope(cloud, scope),
      deleteVm,
    } as unknown as CloudProvider;
    vi.spyOn(service as unknown as { cloud: () => Promise<unknown> }, 'cloud').mockResolvedValue({
      provider,
      settings: { provider: 'aws', tags: { cluster: 'ours' } },
      confirmationKey: confirmationKey({ AWS_ACCESS_KEY_ID: 'QUtJQQ==' }),
    });
    vi.spyOn(service as unknown as { nodeProviderIds: () => Promise<string[]> }, 'nodeProviderIds').mockResolvedValue([
      'aws:///us-east-2a/i-0worker',
    ]);
    return { service, nodeLookups, deleteVm };
  }

  it('shows only this cluster’s VMs, says what that meant and how many others it left out', async () => {
    const { service, nodeLookups } = serviceWithForeignVms();
    const inventory = await service.inventory();
    expect(inventory.vms.map((entry) => entry.id)).toEqual(['i-web']);
    expect(inventory.scope).toEqual({
      description:
        'Peer-pod instances in vpc-ours (the VPC of this cluster’s nodes) carrying the tags cluster=ours (TAGS).',
      excluded: 2,
    });
    expect(JSON.stringify(inventory)).not.toMatch(/theirs|i-other/);
    expect(nodeLookups).toEqual([['aws:///us-east-2a/i-0worker']]);
  });

  it('gives each VM its zone, image, and the vCPUs and memory of its size, described before it answers', async () => {
    const learned: string[][] = [];
    const described = new Map<string, { vcpus: number; memoryMiB: number }>();
    const { service } = serviceWithForeignVms({
      learn: async (_provider, names) => {
        learned.push(names);
        described.set('m6a.large', { vcpus: 2, memoryMiB: 8192 });
      },
      sizeOf: (name) => described.get(name),
    });
    const [web] = (await service.inventory()).vms;
    expect(web).toMatchObject({
      zone: 'us-east-2b',
      image: 'ami-0podvm',
      instanceType: 'm6a.large',
      vcpus: 2,
      memoryMiB: 8192,
    });
    expect(learned).toEqual([['m6a.large']]);
  });

  it('leaves the size columns empty when the sizes could not be described, and still answers', async () => {
    const { service } = serviceWithForeignVms({
      learn: async () => {
        throw new Error('DescribeInstanceTypes: UnauthorizedOperation');
      },
      sizeOf: () => undefined,
    });
    const inventory = await service.inventory();
    expect(inventory.error).toBeNull();
    expect(inventory.vms[0]).toMatchObject({ id: 'i-web', vcpus: null, memoryMiB: null });
  });

  it('never offers another cluster’s VM for cleanup, though no pod claims it', async () => {
    const { service, deleteVm } = serviceWithForeignVms();
    const preview = await service.cleanup(
      { vmIds: ['i-web', 'i-theirs', 'i-other'], dryRun: true },
      { username: 'test-admin', groups: [] },
    );
    expect(preview.results.map((result) => [result.id, result.outcome, result.name])).toEqual([
      ['i-web', 'would-delete', 'podvm-web-1a2b3c4d'],
      ['i-theirs', 'refused', null],
      ['i-other', 'refused', null],
    ]);
    expect(deleteVm).not.toHaveBeenCalled();
  });
});
