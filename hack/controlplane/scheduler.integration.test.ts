// The foundation every later test stands on: the real scheduler counts the peer-pod VM
// extended resource that a node advertises through nodes/status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane } from './controlplane.ts';
import { createWorkerNodes, PEERPOD_RESOURCE, RUNTIME_CLASS } from './fixtures.ts';

let cp: ControlPlane;

beforeAll(async () => {
  cp = await startControlPlane({ log: (line) => console.log(line) });
});

afterAll(async () => {
  await cp?.stop();
});

function peerPod(name: string): V1Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      runtimeClassName: RUNTIME_CLASS,
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: { requests: { [PEERPOD_RESOURCE]: '1' }, limits: { [PEERPOD_RESOURCE]: '1' } },
        },
      ],
    },
  };
}

async function waitForPods(core: CoreV1Api, names: string[], done: (pods: V1Pod[]) => boolean): Promise<V1Pod[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pods = (await core.listNamespacedPod({ namespace: 'default' })).items.filter((p) =>
      names.includes(p.metadata!.name!),
    );
    if (done(pods)) return pods;
    if (Date.now() > deadline) throw new Error(`pods did not settle: ${JSON.stringify(pods.map((p) => p.status))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('local control plane', () => {
  it('runs a real API server that enforces RBAC for the non-admin token', async () => {
    const asUser = cp.kubeConfigForToken(cp.userToken).makeApiClient(CoreV1Api);
    await expect(asUser.listNode()).rejects.toMatchObject({ code: 403 });
    const asAdmin = cp.kubeConfigForToken(cp.adminToken).makeApiClient(CoreV1Api);
    await expect(asAdmin.listNode()).resolves.toHaveProperty('items');
  });

  it('schedules peer pods only while the node has kata.peerpods.io/vm free', async () => {
    const kc = cp.kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const [node] = await createWorkerNodes(kc, { count: 1, namePrefix: 'sched-worker-', peerPodCapacity: 2 });
    expect(node?.status?.allocatable?.[PEERPOD_RESOURCE]).toBe('2');

    const names = ['peer-a', 'peer-b', 'peer-c'];
    for (const name of names) {
      await core.createNamespacedPod({ namespace: 'default', body: peerPod(name) });
    }
    // The scheduler may try before its informer has seen the new node; it retries on node
    // events, so wait for the settled state: two bound and one refused for lack of the resource.
    const refusedForCapacity = (p: V1Pod) =>
      p.status?.conditions?.some(
        (c) => c.type === 'PodScheduled' && c.message?.includes(`Insufficient ${PEERPOD_RESOURCE}`),
      );
    const pods = await waitForPods(
      core,
      names,
      (ps) =>
        ps.filter((p) => p.spec?.nodeName).length === 2 && ps.some((p) => !p.spec?.nodeName && refusedForCapacity(p)),
    );

    const bound = pods.filter((p) => p.spec?.nodeName === node!.metadata!.name);
    const pending = pods.filter((p) => !p.spec?.nodeName);
    expect(bound).toHaveLength(2);
    expect(pending).toHaveLength(1);
    const condition = pending[0]!.status!.conditions!.find((c) => c.type === 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(condition!.message).toContain(`Insufficient ${PEERPOD_RESOURCE}`);
    // The RuntimeClass admission plugin added kata-remote's pod overhead.
    expect(bound[0]!.spec!.overhead).toEqual({ cpu: '250m', memory: '350Mi' });
  });
});
