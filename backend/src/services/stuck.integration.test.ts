// Stuck peer pods against a real API server and scheduler: a pod pinned by its nodeSelector to a
// full node is pending on that node (the node table's pendingPinned, the override as its fix),
// and a pod bound to a node whose sandbox Events carry a cloud quota error is stuck for "quota".
// There is no kubelet: the test writes the kubelet's FailedCreatePodSandBox Event itself.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import { createPeerPodConfig, createWorkerNodes, KATA_NODE_LABEL } from '../../../hack/controlplane/fixtures.ts';
import { createCapacityController, type CapacityController } from '../capacity/controller.ts';
import { peerPod } from '../capacity/test/peer-pods.ts';
import { KubeClient } from '../kube/client.ts';
import { waitFor } from '../kube/test/cluster.ts';
import { StuckService } from './stuck-service.ts';

const SCOPE = { 'stuck-test': 'yes' };
const NAMESPACE = 'shop';
const QUOTA_MESSAGE =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = remote hypervisor call failed: rpc error: code = Unknown desc = creating an instance : creating instance podvm-quota-0-5e6f7a8b (<nil>): operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 2d9c, api error VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 16 allows for the instance bucket that the specified instance type belongs to.';
const logger = pino({ level: 'silent' });

let cp: ControlPlane;
let kc: KubeConfig;
let client: KubeClient;
let core: CoreV1Api;
let controller: CapacityController;
let service: StuckService;

beforeAll(async () => {
  cp = await startControlPlane();
  kc = cp.kubeConfig();
  client = await KubeClient.create(kc);
  core = kc.makeApiClient(CoreV1Api);
  await createWorkerNodes(kc, { count: 2, namePrefix: 'stuck-', labels: SCOPE, peerPodCapacity: 1 });
  await createPeerPodConfig(kc, {
    name: 'stuck-config',
    limit: '1',
    nodeSelector: { ...SCOPE, [KATA_NODE_LABEL]: '' },
  });
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  controller = await createCapacityController({
    kubeConfig: kc,
    logger,
    nodeLabelSelector: 'stuck-test=yes',
    leaderElection: { identity: 'stuck-replica', namespace: 'default', name: 'capacity-stuck' },
    resyncPeriodMs: 0,
  });
  await controller.start();
  service = new StuckService({
    client,
    logger,
    pods: () => controller.informers.pods.values(),
    model: controller.model,
    graceSeconds: 0,
  });
});

afterAll(async () => {
  await controller?.stop();
  client?.close();
  await cp?.stop();
});

describe('stuck peer pods on a real cluster', () => {
  it('counts a pod pinned to a full node as pending on that node, with its override as the fix', async () => {
    const hostname = { 'kubernetes.io/hostname': 'stuck-0' };
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: peerPod('filler', NAMESPACE, { vms: 1, nodeSelector: hostname }),
    });
    await waitFor('the filler to be scheduled on stuck-0', () => controller.model.node('stuck-0')?.used === 1);
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: peerPod('pinned', NAMESPACE, { vms: 1, nodeSelector: hostname }),
    });

    const row = await waitFor('stuck-0 to show one pod pending there', () => {
      const node = controller.model.node('stuck-0');
      return node?.pendingPinned === 1 && node;
    });
    expect(row.source).toBe('config');
    expect(controller.model.node('stuck-1')?.pendingPinned).toBe(0);
    expect(controller.model.snapshot().pending).toMatchObject([{ name: 'pinned', pinnedNode: 'stuck-0' }]);

    const pinned = await waitFor('the pinned pod to be listed as stuck', async () =>
      (await service.stuck({ node: 'stuck-0' })).pods.find((p) => p.name === 'pinned'),
    );
    expect(pinned).toMatchObject({
      stage: 'pending',
      nodeName: 'stuck-0',
      pinned: true,
      reason: 'capacity',
      fixes: ['raise-override', 'raise-limit'],
    });
    expect(pinned.message).toContain('Insufficient kata.peerpods.io/vm');
  });

  it('shows a bound pod whose sandbox Events carry a quota error as stuck for "quota"', async () => {
    const created = await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: peerPod('quota-0', NAMESPACE, { vms: 1, nodeName: 'stuck-1' }),
    });
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    // As the kubelet records it (core/v1 Event, source kubelet on the node).
    await core.createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'quota-0.sandbox', namespace: NAMESPACE },
        involvedObject: {
          kind: 'Pod',
          apiVersion: 'v1',
          namespace: NAMESPACE,
          name: 'quota-0',
          uid: created.metadata!.uid!,
        },
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: QUOTA_MESSAGE,
        source: { component: 'kubelet', host: 'stuck-1' },
        firstTimestamp: at as unknown as Date,
        lastTimestamp: at as unknown as Date,
        count: 4,
      },
    });
    const stuck = await waitFor('the quota pod to be stuck for quota', async () =>
      (await service.stuck({ node: 'stuck-1' })).pods.find((p) => p.name === 'quota-0' && p.reason === 'quota'),
    );
    expect(stuck).toMatchObject({
      namespace: NAMESPACE,
      stage: 'sandbox',
      nodeName: 'stuck-1',
      eventReason: 'FailedCreatePodSandBox',
      message: QUOTA_MESSAGE,
      count: 4,
      fixes: ['check-quota'],
    });
    expect(await service.countStuck()).toContainEqual({ node: 'stuck-1', stage: 'sandbox', reason: 'quota', pods: 1 });
  });
});
