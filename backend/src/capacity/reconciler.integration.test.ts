// The capacity controller against a real API server and a real scheduler. One control plane
// for the file; each scenario has its own nodes (label capacity-test=<scenario>), its own
// PeerPodConfig selecting only those nodes, and its own controller reading only those nodes.
// Scenarios within a describe build on each other and run in order.
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Node,
} from '@kubernetes/client-node';
import {
  CAA_OWNER_ANNOTATION,
  DEFAULT_PEER_POD_CONFIG,
  VM_LIMIT_OVERRIDE_ANNOTATION,
} from '@peer-pods-console/contract/capacity';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  KATA_NODE_LABEL,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
} from '../../../hack/controlplane/fixtures.ts';
import { KubeClient } from '../kube/client.ts';
import { EventRecorder } from '../kube/events.ts';
import { apiListerWatcher, Informer, type RawObject } from '../kube/informer.ts';
import { eventsAbout, nodeStatusPatches, waitFor } from '../kube/test/cluster.ts';
import { createCapacityController, type CapacityController } from './controller.ts';
import { createCapacityMetrics } from './metrics.ts';
import { checkCapacityWriters } from '../setup/checks/capacity-writers.ts';
import { capacityManagersOf, nodeTransform, PEERPODCONFIGS, peerPodConfigTransform, type NodeView } from './objects.ts';
import { CapacityReconciler } from './reconciler.ts';
import { peerPod } from './test/peer-pods.ts';
import { createUpstreamWriter, UPSTREAM_FIELD_MANAGER, type UpstreamWriter } from './test/upstream-writer.ts';

const R = 'kata.peerpods.io/vm';
const SCOPE_LABEL = 'capacity-test';
const logger = pino({ level: 'silent' });
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

let cp: ControlPlane;
let kc: KubeConfig;
let client: KubeClient;
let core: CoreV1Api;
let custom: CustomObjectsApi;
const controllers: CapacityController[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  kc = cp.kubeConfig();
  client = await KubeClient.create(kc);
  core = kc.makeApiClient(CoreV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  client?.close();
  await cp?.stop();
});

async function startController(scope: string): Promise<CapacityController> {
  const controller = await createCapacityController({
    kubeConfig: kc,
    logger,
    nodeLabelSelector: `${SCOPE_LABEL}=${scope}`,
    leaderElection: { identity: `${scope}-replica`, namespace: 'default', name: `capacity-${scope}` },
    resyncPeriodMs: 0,
  });
  controllers.push(controller);
  await controller.start();
  await waitFor('leadership', () => controller.reconciler.running);
  return controller;
}

async function createConfig(name: string, scope: string, limit: string, namespace = OPERATOR_NAMESPACE, kata = true) {
  await createPeerPodConfig(kc, {
    name,
    namespace,
    limit,
    nodeSelector: { [SCOPE_LABEL]: scope, ...(kata ? { [KATA_NODE_LABEL]: '' } : {}) },
  });
}

async function setLimit(name: string, limit: string, namespace = OPERATOR_NAMESPACE) {
  await custom.patchNamespacedCustomObject(
    {
      group: 'confidentialcontainers.org',
      version: 'v1alpha1',
      plural: 'peerpodconfigs',
      namespace,
      name,
      body: { spec: { limit } },
    },
    merge,
  );
}

const advertised = (n: V1Node) => [n.status?.capacity?.[R], n.status?.allocatable?.[R]];

/** Waits until every named node carries `value` in both capacity and allocatable (undefined: neither). */
async function waitForCapacity(names: string[], value: string | undefined, timeoutMs = 30_000) {
  await waitFor(
    `${names.join(', ')} at ${value ?? 'no resource'}`,
    async () => {
      const nodes = await Promise.all(names.map((name) => core.readNode({ name })));
      return nodes.every((n) => advertised(n)[0] === value && advertised(n)[1] === value);
    },
    { timeoutMs },
  );
}

async function waitIdle(controller: CapacityController) {
  await waitFor('the reconciler to be idle', () => controller.reconciler.idle());
  // And once more after anything the last writes caused has come back through the watch.
  await new Promise((r) => setTimeout(r, 1000));
  await waitFor('the reconciler to be idle', () => controller.reconciler.idle());
}

async function metric(controller: CapacityController, name: string): Promise<number> {
  const text = await controller.registry.metrics();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && !l.startsWith('#'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function annotateNode(name: string, annotations: Record<string, string | null>) {
  await core.patchNode({ name, body: { metadata: { annotations } } }, merge);
}

async function labelNode(name: string, labels: Record<string, string | null>) {
  await core.patchNode({ name, body: { metadata: { labels } } }, merge);
}

describe('capacity reconciler', () => {
  const scope = 'basic';
  let controller: CapacityController;
  const names = ['basic-0', 'basic-1', 'basic-2'];

  beforeAll(async () => {
    await createWorkerNodes(kc, { count: 3, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createWorkerNodes(kc, {
      count: 1,
      namePrefix: `${scope}-plain-`,
      labels: { [SCOPE_LABEL]: scope },
      withoutKataLabel: true,
    });
    await createConfig(scope, scope, '4');
    controller = await startController(scope);
  });

  it('advertises the limit on every matching node, in capacity and allocatable, and on no other', async () => {
    await waitForCapacity(names, '4');
    const plain = await core.readNode({ name: 'basic-plain-0' });
    expect(advertised(plain)).toEqual([undefined, undefined]);
    const node = await core.readNode({ name: 'basic-0' });
    expect(
      node.metadata?.managedFields?.some((f) => f.manager === 'peer-pods-console' && f.subresource === 'status'),
    ).toBe(true);
    expect(controller.model.node('basic-0')).toMatchObject({ desired: 4, advertised: 4, allocatable: 4, drift: null });
  });

  it('gives a node created later its capacity without the config being touched', async () => {
    const before = await custom.getNamespacedCustomObject({
      group: 'confidentialcontainers.org',
      version: 'v1alpha1',
      plural: 'peerpodconfigs',
      namespace: OPERATOR_NAMESPACE,
      name: scope,
    });
    await createWorkerNodes(kc, { count: 1, namePrefix: `${scope}-`, startIndex: 3, labels: { [SCOPE_LABEL]: scope } });
    names.push('basic-3');
    await waitForCapacity(['basic-3'], '4');
    const after = await custom.getNamespacedCustomObject({
      group: 'confidentialcontainers.org',
      version: 'v1alpha1',
      plural: 'peerpodconfigs',
      namespace: OPERATOR_NAMESPACE,
      name: scope,
    });
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('carries a limit change to every node and reports it as one Event on the config', async () => {
    await setLimit(scope, '6');
    await waitForCapacity(names, '6');
    const events = await waitFor('the CapacityAdvertised event', async () => {
      const all = await eventsAbout(client, { kind: 'PeerPodConfig', name: scope, namespace: OPERATOR_NAMESPACE });
      return all.find((e) => e.reason === 'CapacityAdvertised' && e.message.includes('to 6 on 4 nodes'))
        ? all
        : undefined;
    });
    expect(events.find((e) => e.message.includes('to 6'))).toMatchObject({ type: 'Normal', kind: 'PeerPodConfig' });
  });

  it('writes nothing at steady state, however often the nodes are reconciled', async () => {
    await waitIdle(controller);
    const patchesBefore = await nodeStatusPatches(client);
    const writesBefore = await metric(controller, 'peerpods_capacity_node_writes_total');
    expect(patchesBefore).toBeGreaterThanOrEqual(writesBefore); // the counter sees this controller's writes
    expect(writesBefore).toBeGreaterThanOrEqual(8); // 4 nodes × (first limit, limit change)
    const reconcilesBefore = await metric(controller, 'peerpods_capacity_reconciles_total');
    // Changes that enqueue the nodes but do not change their decided limit.
    for (const name of names) {
      await labelNode(name, { 'unrelated-label': 'x' });
      await annotateNode(name, { 'example.com/unrelated': 'y' });
    }
    for (const name of names) expect(await controller.reconciler.reconcile(name)).toBe('in-sync');
    await new Promise((r) => setTimeout(r, 3000));
    await waitIdle(controller);
    expect(await metric(controller, 'peerpods_capacity_reconciles_total')).toBeGreaterThan(reconcilesBefore);
    expect(await nodeStatusPatches(client)).toBe(patchesBefore);
    expect(await metric(controller, 'peerpods_capacity_node_writes_total')).toBe(writesBefore);
  });

  it('removes the resource from a node that stops matching, and says so on the node', async () => {
    await labelNode('basic-1', { [KATA_NODE_LABEL]: null });
    await waitForCapacity(['basic-1'], undefined);
    const events = await waitFor('the CapacityRemoved event', async () => {
      const all = await eventsAbout(client, { kind: 'Node', name: 'basic-1' });
      return all.some((e) => e.reason === 'CapacityRemoved') && all;
    });
    expect(events.find((e) => e.reason === 'CapacityRemoved')?.message).toContain('no PeerPodConfig selects this node');
    expect(controller.model.node('basic-1')).toMatchObject({ source: 'none', advertised: null, drift: null });
  });

  it('lets the override annotation win, and falls back to the config when it is removed', async () => {
    await annotateNode('basic-2', { [VM_LIMIT_OVERRIDE_ANNOTATION]: '2' });
    await waitForCapacity(['basic-2'], '2');
    expect(controller.model.node('basic-2')).toMatchObject({ source: 'override', override: 2 });
    await annotateNode('basic-2', { [VM_LIMIT_OVERRIDE_ANNOTATION]: null });
    await waitForCapacity(['basic-2'], '6');
  });

  it('reports an invalid override as a Warning Event on the node and keeps the config limit', async () => {
    await annotateNode('basic-3', { [VM_LIMIT_OVERRIDE_ANNOTATION]: 'lots' });
    const warning = await waitFor('the InvalidVmLimitOverride warning', async () =>
      (await eventsAbout(client, { kind: 'Node', name: 'basic-3' })).find((e) => e.reason === 'InvalidVmLimitOverride'),
    );
    expect(warning).toMatchObject({ type: 'Warning' });
    expect(warning.message).toContain('"lots"');
    await waitIdle(controller);
    await waitForCapacity(['basic-3'], '6');
    expect(controller.model.node('basic-3')!.problems.join()).toContain(VM_LIMIT_OVERRIDE_ANNOTATION);
  });

  it('reports an invalid limit as a Warning Event on the config and leaves the nodes as they are', async () => {
    const patchesBefore = await nodeStatusPatches(client);
    await setLimit(scope, 'many');
    const warning = await waitFor('the InvalidLimit warning', async () =>
      (await eventsAbout(client, { kind: 'PeerPodConfig', name: scope, namespace: OPERATOR_NAMESPACE })).find(
        (e) => e.reason === 'InvalidLimit',
      ),
    );
    expect(warning).toMatchObject({ type: 'Warning' });
    expect(warning.message).toContain('"many"');
    await waitIdle(controller);
    await waitForCapacity(['basic-0', 'basic-2', 'basic-3'], '6');
    expect(await nodeStatusPatches(client)).toBe(patchesBefore);
    expect(controller.model.node('basic-0')).toMatchObject({ desiredState: 'undetermined', advertised: 6 });
    await setLimit(scope, '5');
    await waitForCapacity(['basic-0', 'basic-2', 'basic-3'], '5');
  });
});

describe('coexistence with cloud-api-adaptor', () => {
  const scope = 'caa';

  it('never writes a node whose advertisement CAA owns, and reports its drift', async () => {
    await createWorkerNodes(kc, { count: 1, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createWorkerNodes(kc, {
      count: 1,
      namePrefix: `${scope}-owned-`,
      labels: { [SCOPE_LABEL]: scope },
      annotations: { [CAA_OWNER_ANNOTATION]: 'caa-pod-uid-1' },
      peerPodCapacity: 10,
    });
    const owned = await core.readNode({ name: 'caa-owned-0' });
    await createConfig(scope, scope, '3');
    const controller = await startController(scope);
    await waitForCapacity(['caa-0'], '3');
    await setLimit(scope, '5');
    await waitForCapacity(['caa-0'], '5');
    await waitIdle(controller);

    const after = await core.readNode({ name: 'caa-owned-0' });
    expect(after.metadata?.resourceVersion).toBe(owned.metadata?.resourceVersion);
    expect(advertised(after)).toEqual(['10', '10']);
    expect(after.metadata?.managedFields?.some((f) => f.manager === 'peer-pods-console')).toBe(false);
    expect(controller.model.node('caa-owned-0')).toMatchObject({
      caaOwner: 'caa-pod-uid-1',
      drift: 'differs',
      desired: 5,
      advertised: 10,
    });
    const warning = await waitFor('the drift warning', async () =>
      (await eventsAbout(client, { kind: 'Node', name: 'caa-owned-0' })).find(
        (e) => e.reason === 'CapacityDriftOwnedByCaa',
      ),
    );
    expect(warning.message).toContain('cloud-api-adaptor');
    expect(await controller.reconciler.reconcile('caa-owned-0')).toBe('caa-owned');
  });
});

describe("another writer of the extended resource, as the operator's peerpodconfig-ctrl writes it", () => {
  const scope = 'writer';
  const selector = { [SCOPE_LABEL]: scope, [KATA_NODE_LABEL]: '' };
  let controller: CapacityController;
  let upstream: UpstreamWriter;

  const capacityOwners = async (name: string) =>
    capacityManagersOf((await core.readNode({ name })).metadata?.managedFields, R);

  beforeAll(async () => {
    await createWorkerNodes(kc, { count: 2, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createWorkerNodes(kc, {
      count: 1,
      namePrefix: `${scope}-plain-`,
      labels: { [SCOPE_LABEL]: scope },
      withoutKataLabel: true,
    });
    await createConfig(scope, scope, '6');
    // Started without the periodic resync: every restore below answers a node event.
    controller = await startController(scope);
    await waitForCapacity(['writer-0', 'writer-1'], '6');
    await annotateNode('writer-1', { [VM_LIMIT_OVERRIDE_ANNOTATION]: '2' });
    await waitForCapacity(['writer-1'], '2');
    upstream = await createUpstreamWriter(kc);
  });

  afterAll(() => upstream?.close());

  it('sets a per-node override back after a limit change, counts the flap and names the writer', async () => {
    expect(controller.model.node('writer-1')).toMatchObject({ otherWriters: [], flaps: 0 });
    await setLimit(scope, '8');
    // peerpodconfig-ctrl acts once its watch delivers the change; so does the model here.
    await waitFor('the new limit in the model', () => controller.model.node('writer-0')?.desired === 8);
    // What peerpodconfig-ctrl does on that PeerPodConfig change: the limit to every selected node.
    const patched = await upstream.advertise('8', selector);
    const overwritten = patched.find((n) => n.metadata.name === 'writer-1')!;
    expect(overwritten.status?.capacity?.[R]).toBe('8');
    expect(capacityManagersOf(overwritten.metadata.managedFields, R)).toEqual([UPSTREAM_FIELD_MANAGER]);

    await waitForCapacity(['writer-1'], '2');
    await waitForCapacity(['writer-0'], '8');
    await waitFor('the flap in the model', () => controller.model.node('writer-1')!.flaps === 1);
    expect(await capacityOwners('writer-1')).toEqual(['peer-pods-console']);
    expect(controller.model.node('writer-1')).toMatchObject({
      otherWriters: [UPSTREAM_FIELD_MANAGER],
      flaps: 1,
      lastFlap: { writer: UPSTREAM_FIELD_MANAGER },
      drift: null,
    });
    expect(await metric(controller, 'peerpods_capacity_other_writer_flaps_total')).toBe(1);
  });

  it('sets it back on every unconditional rewrite, counting each', async () => {
    for (let round = 2; round <= 4; round += 1) {
      await upstream.patchNode('writer-1', '8');
      await waitFor(`flap ${round}`, () => controller.model.node('writer-1')!.flaps === round);
      await waitForCapacity(['writer-1'], '2');
    }
    const { totals } = controller.model.snapshot();
    expect(totals.otherWriters).toEqual([UPSTREAM_FIELD_MANAGER]);
    expect(totals.flaps).toBeGreaterThanOrEqual(4);
    expect(await metric(controller, 'peerpods_capacity_other_writer_flaps_total')).toBe(4);
  });

  it('removes the resource again where its different default nodeSelector puts it', async () => {
    // peerpodconfig-ctrl selects `node-role.kubernetes.io/worker` (newer: `node.kubernetes.io/worker`)
    // when a PeerPodConfig has no nodeSelector; ours is `node-role.kubernetes.io/kata-oc`.
    await upstream.advertise('8', { [SCOPE_LABEL]: scope, 'node-role.kubernetes.io/worker': '' });
    await waitFor('the flap on the plain worker', () => controller.model.node('writer-plain-0')!.flaps === 1);
    await waitForCapacity(['writer-plain-0'], undefined);
    await waitForCapacity(['writer-1'], '2');
    expect(controller.model.node('writer-plain-0')).toMatchObject({
      desiredState: 'absent',
      otherWriters: [UPSTREAM_FIELD_MANAGER],
      drift: null,
    });
  });

  it('names the writer, the nodes and the flaps in the setup check', async () => {
    await waitIdle(controller);
    const flaps = controller.model.snapshot().totals.flaps;
    const result = checkCapacityWriters({
      synced: true,
      extendedResource: R,
      nodes: controller.model.snapshot().nodes,
    });
    expect(result.status).toBe('warning');
    expect(result.found.values).toMatchObject({ writers: UPSTREAM_FIELD_MANAGER, flaps });
    expect(String(result.found.values.nodes)).toMatch(/^writer-1, writer-plain-0/);
  });
});

describe('several PeerPodConfigs selecting one node', () => {
  const scope = 'overlap';

  it('applies the operator default config and reports the overlap on the other', async () => {
    await createWorkerNodes(kc, { count: 2, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createConfig(PEERPODCONFIG_NAME, scope, '7', OPERATOR_NAMESPACE, false);
    await createConfig('overlap-extra', scope, '2');
    const controller = await startController(scope);
    await waitForCapacity(['overlap-0', 'overlap-1'], '7');
    const warning = await waitFor('the overlap warning', async () =>
      (await eventsAbout(client, { kind: 'PeerPodConfig', name: 'overlap-extra', namespace: OPERATOR_NAMESPACE })).find(
        (e) => e.reason === 'NodeSelectorOverlap',
      ),
    );
    expect(warning).toMatchObject({ type: 'Warning' });
    expect(warning.message).toContain(`${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}`);
    expect(controller.model.node('overlap-0')!.matchedConfigs).toHaveLength(2);
  });
});

describe('a PeerPodConfig outside the operator namespace', () => {
  const scope = 'foreign';

  it('sets no node capacity, however large its limit, and the model does not know it', async () => {
    await createWorkerNodes(kc, { count: 2, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createWorkerNodes(kc, {
      count: 1,
      namePrefix: `${scope}-plain-`,
      labels: { [SCOPE_LABEL]: scope },
      withoutKataLabel: true,
    });
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    await createConfig(scope, scope, '3');
    // What the review reproduced: team-a/aaa with limit 500 made its nodes advertise 500.
    await createConfig('aaa', scope, '500', 'team-a');
    // And team-a/bbb is the only config that selects foreign-plain-0.
    await createConfig('bbb', scope, '500', 'team-a', false);
    const controller = await startController(scope);
    await waitForCapacity(['foreign-0', 'foreign-1'], '3');
    await waitIdle(controller);
    expect(controller.model.node('foreign-0')!.matchedConfigs).toEqual([
      { namespace: OPERATOR_NAMESPACE, name: scope },
    ]);
    expect(advertised(await core.readNode({ name: 'foreign-plain-0' }))).toEqual([undefined, undefined]);
    expect(controller.model.node('foreign-plain-0')!.matchedConfigs).toEqual([]);
  });
});

describe('lowering the limit below use', () => {
  const scope = 'use';
  const namespace = 'use-apps';

  it('evicts nothing; new peer pods stay Pending and the model counts them', async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await createWorkerNodes(kc, { count: 1, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createConfig(scope, scope, '3');
    const controller = await startController(scope);
    await waitForCapacity(['use-0'], '3');

    const selector = { [SCOPE_LABEL]: scope };
    for (const name of ['vm-a', 'vm-b', 'vm-c']) {
      await core.createNamespacedPod({ namespace, body: peerPod(name, namespace, { vms: 1, nodeSelector: selector }) });
    }
    await waitFor(
      'three peer pods bound by the scheduler',
      async () =>
        (await core.listNamespacedPod({ namespace })).items.filter((p) => p.spec?.nodeName === 'use-0').length === 3,
    );
    await waitFor('the model to count them', () => controller.model.node('use-0')?.used === 3);

    await setLimit(scope, '1');
    await waitForCapacity(['use-0'], '1');
    await core.createNamespacedPod({ namespace, body: peerPod('vm-d', namespace, { vms: 1, nodeSelector: selector }) });
    const pending = await waitFor('vm-d to be refused for lack of VMs', () =>
      controller.model.snapshot().pending.find((p) => p.name === 'vm-d'),
    );
    expect(pending.message).toContain(`Insufficient ${R}`);

    const pods = (await core.listNamespacedPod({ namespace })).items;
    for (const name of ['vm-a', 'vm-b', 'vm-c']) {
      const p = pods.find((x) => x.metadata?.name === name);
      expect(p?.spec?.nodeName).toBe('use-0');
      expect(p?.metadata?.deletionTimestamp).toBeUndefined();
    }
    expect(pods.find((p) => p.metadata?.name === 'vm-d')?.spec?.nodeName).toBeUndefined();
    expect(controller.model.node('use-0')).toMatchObject({ used: 3, allocatable: 1, free: 0, overcommitted: true });
    expect(controller.model.totals().pendingForCapacity).toBe(1);
  });

  it('counts a peer pod without the resource request as unaccounted', async () => {
    const controller = controllers[controllers.length - 1]!;
    await core.createNamespacedPod({ namespace, body: peerPod('escaped', namespace, { nodeName: 'use-0' }) });
    const escaped = await waitFor('the unaccounted pod', () =>
      controller.model.snapshot().unaccounted.find((p) => p.name === 'escaped'),
    );
    expect(escaped).toMatchObject({ namespace, nodeName: 'use-0' });
    expect(controller.model.node('use-0')!.used).toBe(3);
  });
});

describe('writes are conditional on the node as it was read', () => {
  const scope = 'stale';

  /** A reconciler whose node cache is frozen at `raw` (its watch never delivers), over the real API. */
  async function reconcilerWithFrozenCache(raw: RawObject) {
    const nodes = new Informer<NodeView>({
      name: 'frozen-nodes',
      logger,
      transform: nodeTransform(R),
      listerWatcher: {
        listPage: async () => ({ items: [raw], resourceVersion: raw.metadata!.resourceVersion! }),
        watch: async () => ({ abort: () => {} }),
      },
    });
    const configs = new Informer({
      name: 'peerpodconfigs',
      logger,
      transform: peerPodConfigTransform,
      listerWatcher: apiListerWatcher(client, PEERPODCONFIGS),
    });
    nodes.start();
    configs.start();
    await Promise.all([nodes.synced, configs.synced]);
    const registry = new Registry();
    const metrics = createCapacityMetrics(registry, {
      advertisedNodes: () => 0,
      driftNodes: () => 0,
      isLeader: () => true,
    });
    const reconciler = new CapacityReconciler({
      client,
      nodes,
      configs,
      metrics,
      logger,
      recorder: new EventRecorder({ client, logger, component: 'test' }),
      extendedResource: R,
      defaultConfig: DEFAULT_PEER_POD_CONFIG,
      fieldManager: 'peer-pods-console',
    });
    const count = async (name: string) =>
      (await registry.getSingleMetric(name)!.get()).values.reduce((a, v) => a + v.value, 0);
    return {
      reconciler,
      count,
      async close() {
        await reconciler.close();
        await Promise.all([nodes.stop(), configs.stop()]);
      },
    };
  }

  const readRaw = (name: string) => client.request<RawObject>({ method: 'GET', path: `/api/v1/nodes/${name}` });

  beforeAll(async () => {
    await createWorkerNodes(kc, { count: 2, namePrefix: `${scope}-`, labels: { [SCOPE_LABEL]: scope } });
    await createConfig(scope, scope, '2');
  });

  it('retries a write refused with 409 on the node as it is now', async () => {
    const stale = await readRaw('stale-0');
    await labelNode('stale-0', { 'changed-meanwhile': 'yes' }); // moves the resourceVersion on
    const { reconciler, count, close } = await reconcilerWithFrozenCache(stale);
    try {
      reconciler.start(() => true);
      await waitFor('the write', async () => (await count('peerpods_capacity_node_writes_total')) === 1);
      expect(await count('peerpods_capacity_write_conflicts_total')).toBe(1);
      expect(advertised(await core.readNode({ name: 'stale-0' }))).toEqual(['2', '2']);
    } finally {
      await close();
    }
  });

  it('honours CAA ownership taken after the node was read: refused, re-read, not written', async () => {
    const stale = await readRaw('stale-1');
    await annotateNode('stale-1', { [CAA_OWNER_ANNOTATION]: 'caa-pod-uid-2' });
    const owned = await core.readNode({ name: 'stale-1' });
    const { reconciler, count, close } = await reconcilerWithFrozenCache(stale);
    try {
      reconciler.start(() => true);
      await waitFor('the refused write', async () => (await count('peerpods_capacity_write_conflicts_total')) === 1);
      await waitFor('the reconcile to finish', () => reconciler.idle());
      expect(await count('peerpods_capacity_node_writes_total')).toBe(0);
      const after = await core.readNode({ name: 'stale-1' });
      expect(after.metadata?.resourceVersion).toBe(owned.metadata?.resourceVersion);
      expect(advertised(after)).toEqual([undefined, undefined]);
    } finally {
      await close();
    }
  });
});
