// Two (then three) replicas of the capacity controller in one process, sharing one Lease with
// the default timings (15 s lease, 10 s renew deadline, 2 s retry), against a real API server
// that is restarted mid-run. The scenarios run in order and build on each other.
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  KATA_NODE_LABEL,
  OPERATOR_NAMESPACE,
} from '../../../hack/controlplane/fixtures.ts';
import { KubeClient } from '../kube/client.ts';
import { createCapacityController, type CapacityController } from './controller.ts';
import { waitFor } from '../kube/test/cluster.ts';

const R = 'kata.peerpods.io/vm';
const SCOPE = 'ha';
const LEASE = 'capacity-ha';
const LEASE_DURATION_MS = 15_000;
const logger = pino({ level: 'silent' });

let cp: ControlPlane;
let kc: KubeConfig;
let client: KubeClient;
let core: CoreV1Api;
let custom: CustomObjectsApi;
const replicas = new Map<string, CapacityController>();
let nodeNames: string[] = [];

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false });
  kc = cp.kubeConfig();
  client = await KubeClient.create(kc);
  core = kc.makeApiClient(CoreV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  const nodes = await createWorkerNodes(kc, { count: 5, namePrefix: `${SCOPE}-`, labels: { 'capacity-test': SCOPE } });
  nodeNames = nodes.map((n) => n.metadata!.name!);
  await createPeerPodConfig(kc, {
    name: SCOPE,
    limit: '3',
    nodeSelector: { 'capacity-test': SCOPE, [KATA_NODE_LABEL]: '' },
  });
});

afterAll(async () => {
  await Promise.all([...replicas.values()].map((r) => r.stop()));
  client?.close();
  await cp?.stop();
});

async function startReplica(identity: string): Promise<CapacityController> {
  const replica = await createCapacityController({
    kubeConfig: kc,
    logger,
    nodeLabelSelector: `capacity-test=${SCOPE}`,
    leaderElection: { identity, namespace: 'default', name: LEASE },
    informerBackoff: { initialMs: 200, maxMs: 2000 },
  });
  replicas.set(identity, replica);
  await replica.start();
  return replica;
}

async function setLimit(limit: string) {
  await custom.patchNamespacedCustomObject(
    {
      group: 'confidentialcontainers.org',
      version: 'v1alpha1',
      plural: 'peerpodconfigs',
      namespace: OPERATOR_NAMESPACE,
      name: SCOPE,
      body: { spec: { limit } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

async function converged(names: string[], value: string): Promise<boolean> {
  const nodes = (await core.listNode({ labelSelector: `capacity-test=${SCOPE}` })).items.filter((n) =>
    names.includes(n.metadata!.name!),
  );
  return (
    nodes.length === names.length &&
    nodes.every((n) => n.status?.capacity?.[R] === value && n.status?.allocatable?.[R] === value)
  );
}

async function leaseHolder(): Promise<string | undefined> {
  const lease = await client.request<{ spec: { holderIdentity?: string } }>({
    method: 'GET',
    path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${LEASE}`,
  });
  return lease.spec.holderIdentity || undefined;
}

function leaders(): CapacityController[] {
  return [...replicas.values()].filter((r) => r.isLeader());
}

async function writes(replica: CapacityController): Promise<number> {
  const metric = (await replica.registry.getSingleMetric('peerpods_capacity_node_writes_total')?.get())?.values ?? [];
  return metric.reduce((sum, v) => sum + v.value, 0);
}

describe('capacity controller replicas', () => {
  let first: CapacityController;
  let second: CapacityController;

  it('lets exactly one of two replicas lead, and only the leader writes', async () => {
    await Promise.all([startReplica('replica-a'), startReplica('replica-b')]);
    const leader = await waitFor('a leader', () => leaders()[0]);
    for (let i = 0; i < 30; i += 1) {
      expect(leaders().length).toBeLessThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(leaders()).toEqual([leader]);
    expect(await leaseHolder()).toBe(leader.identity);
    await waitFor('all nodes at 3', () => converged(nodeNames, '3'));
    first = leader;
    second = [...replicas.values()].find((r) => r !== leader)!;
    expect(await writes(first)).toBe(nodeNames.length);
    expect(await writes(second)).toBe(0);
    expect(second.reconciler.running).toBe(false);
    // Followers keep the live model too, for their API clients.
    await waitFor('the follower model to see the advertised capacity', () => second.model.totals().capacity === 15);
  });

  it('moves leadership to the other replica within the lease duration when the leader dies, and converges', async () => {
    await first.stop({ releaseLease: false }); // dies: the lease stays held until it expires
    replicas.delete(first.identity);
    await setLimit('4');
    await waitFor('the other replica to lead', () => second.isLeader(), {
      timeoutMs: LEASE_DURATION_MS + 2 * 2_000 * 2.2 + 5_000,
    });
    expect(await leaseHolder()).toBe(second.identity);
    await waitFor('all nodes at 4', () => converged(nodeNames, '4'), { timeoutMs: 30_000 });
  }, 90_000);

  it('hands leadership over before the lease expires when the leader stops gracefully', async () => {
    const third = await startReplica('replica-c');
    await second.stop(); // releases the lease
    replicas.delete(second.identity);
    await waitFor('the third replica to lead', () => third.isLeader(), { timeoutMs: LEASE_DURATION_MS - 3_000 });
    expect(await leaseHolder()).toBe('replica-c');
    await setLimit('5');
    await waitFor('all nodes at 5', () => converged(nodeNames, '5'));
  }, 60_000);

  it('recovers its informers when the API server restarts mid-run, and converges', async () => {
    const third = replicas.get('replica-c')!;
    await cp.restartApiServer();
    await setLimit('6');
    await createWorkerNodes(kc, {
      count: 1,
      namePrefix: `${SCOPE}-`,
      startIndex: 5,
      labels: { 'capacity-test': SCOPE },
    });
    const all = [...nodeNames, `${SCOPE}-5`];
    await waitFor('all nodes, old and new, at 6', () => converged(all, '6'), { timeoutMs: 60_000 });
    await waitFor('the model to see the new node', () => third.model.node(`${SCOPE}-5`)?.advertised === 6, {
      timeoutMs: 30_000,
    });
    expect(third.model.totals()).toMatchObject({ nodes: 6, driftNodes: 0, capacity: 36 });
    expect(third.isLeader()).toBe(true);
  }, 120_000);
});
