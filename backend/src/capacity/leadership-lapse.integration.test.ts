// Regression (found by bench/reliability/faults.ts, API server restarted during a limit change):
// while the API server is down, the Lease cannot be renewed, and the reconciler's "am I still the
// leader?" check before each write says no once renewDeadline has passed since the last renewal.
// The election loop itself gives up a retry period later — if the API server is back before that,
// the lease is renewed and no stop/start happens. Nodes whose reconcile met the lapse were dropped
// from the queue, so a limit change stayed half-applied (284 of 300 nodes) until the next resync.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_PEER_POD_CONFIG } from '@peer-pods-console/contract/capacity';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  KATA_NODE_LABEL,
  OPERATOR_NAMESPACE,
} from '../../../hack/controlplane/fixtures.ts';
import { KubeClient } from '../kube/client.ts';
import { EventRecorder } from '../kube/events.ts';
import { apiListerWatcher, Informer } from '../kube/informer.ts';
import { waitFor } from '../kube/test/cluster.ts';
import { createCapacityMetrics } from './metrics.ts';
import {
  NODES,
  nodeTransform,
  PEERPODCONFIGS,
  peerPodConfigTransform,
  type NodeView,
  type PeerPodConfigView,
} from './objects.ts';
import { CapacityReconciler } from './reconciler.ts';

const R = 'kata.peerpods.io/vm';
const SCOPE = 'lapse';
const logger = pino({ level: 'silent' });

let cp: ControlPlane;
let kc: KubeConfig;
let client: KubeClient;
let nodes: Informer<NodeView>;
let configs: Informer<PeerPodConfigView>;
let reconciler: CapacityReconciler;
let registry: Registry;
let leading = true;

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false });
  kc = cp.kubeConfig();
  client = await KubeClient.create(kc);
  await createWorkerNodes(kc, { count: 3, namePrefix: `${SCOPE}-`, labels: { 'capacity-test': SCOPE } });
  await createPeerPodConfig(kc, {
    name: SCOPE,
    limit: '3',
    nodeSelector: { 'capacity-test': SCOPE, [KATA_NODE_LABEL]: '' },
  });
  nodes = new Informer({
    name: 'nodes',
    logger,
    transform: nodeTransform(R),
    listerWatcher: apiListerWatcher(client, NODES, { labelSelector: `capacity-test=${SCOPE}` }),
  });
  configs = new Informer({
    name: 'peerpodconfigs',
    logger,
    transform: peerPodConfigTransform,
    listerWatcher: apiListerWatcher(client, PEERPODCONFIGS),
  });
  nodes.start();
  configs.start();
  await Promise.all([nodes.synced, configs.synced]);
  registry = new Registry();
  reconciler = new CapacityReconciler({
    client,
    nodes,
    configs,
    logger,
    metrics: createCapacityMetrics(registry, {
      advertisedNodes: () => 0,
      driftNodes: () => 0,
      isLeader: () => leading,
    }),
    recorder: new EventRecorder({ client, logger, component: 'test' }),
    extendedResource: R,
    defaultConfig: DEFAULT_PEER_POD_CONFIG,
    fieldManager: 'peer-pods-console',
    resyncPeriodMs: 0,
    queue: { baseDelayMs: 50, maxDelayMs: 500 },
  });
});

afterAll(async () => {
  await reconciler?.close();
  await Promise.all([nodes?.stop(), configs?.stop()]);
  client?.close();
  await cp?.stop();
});

async function allAt(value: string): Promise<boolean> {
  const list = await client.request<{ items: { status?: { capacity?: Record<string, string> } }[] }>({
    method: 'GET',
    path: '/api/v1/nodes',
    query: { labelSelector: `capacity-test=${SCOPE}` },
  });
  return list.items.length === 3 && list.items.every((n) => n.status?.capacity?.[R] === value);
}

async function notLeaderResults(): Promise<number> {
  const values = (await registry.getSingleMetric('peerpods_capacity_reconciles_total')!.get()).values;
  return values.filter((v) => v.labels.result === 'not-leader').reduce((sum, v) => sum + v.value, 0);
}

describe('a reconciler whose leadership lapses and comes back without a restart', () => {
  it('keeps the nodes it could not write queued, and writes them once the lease is renewed', async () => {
    reconciler.start(() => leading);
    await waitFor('every node at 3', () => allAt('3'));

    leading = false; // renewal overdue: the write check says no, but nothing stops the reconciler
    await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject(
      {
        group: 'confidentialcontainers.org',
        version: 'v1alpha1',
        plural: 'peerpodconfigs',
        namespace: OPERATOR_NAMESPACE,
        name: SCOPE,
        body: { spec: { limit: '5' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await waitFor('every node to meet the lapse', async () => (await notLeaderResults()) >= 3);
    expect(await allAt('3')).toBe(true);

    leading = true; // renewed in time: no stop(), no start()
    await waitFor('every node at 5', () => allAt('5'), { timeoutMs: 10_000 });
  });
});
