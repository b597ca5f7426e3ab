// Demo peer pods for the local stack, created the way a user creates them (the webhook mutates
// them, the real scheduler places them), plus what the pieces that do not run locally would do:
// for each pod the scheduler placed, a peer-pod VM in the simulated cloud and its PeerPod (the
// cloud-api-adaptor's part) and a Running status (the kubelet's part).
//
// One node is "small": its override annotation allows a single VM, and three peer pods ask for
// that node, so one runs there and two stay Pending with the scheduler's "Insufficient
// kata.peerpods.io/vm" — peer pods pending for lack of capacity, decided by the scheduler, and
// pinned to that node. One more peer pod is placed and gets its VM, but the node cannot reach the
// VM's agent (port 15150 closed, as before the port wizard has run): it stays in sandbox creation
// with the kubelet's FailedCreatePodSandBox Event — a stuck peer pod.
import { randomBytes } from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { podVmName } from '../../backend/src/cloud/inventory.ts';
import { PEERPOD_RESOURCE, RUNTIME_CLASS } from '../controlplane/fixtures.ts';
import type { SimulatedCloud } from './simulated-cloud.ts';

export const DEMO_NAMESPACE = 'default';
/** Peer pods the scheduler may place anywhere. */
export const SPREAD_PODS = ['web-frontend', 'api-gateway', 'ml-inference'];
/** Peer pods that ask for the small node: one fits, the rest wait for capacity. */
export const SMALL_NODE_PODS = ['nightly-report-0', 'nightly-report-1', 'nightly-report-2'];
export const SMALL_NODE_LIMIT = 1;
/** A peer pod whose VM starts but whose agent the node cannot reach: stuck in sandbox creation. */
export const STUCK_POD = 'batch-worker';

/**
 * The kubelet's Event for a sandbox that cloud-api-adaptor could not finish, in the words kata's
 * remote hypervisor and the adaptor's agent proxy use when port 15150 is closed.
 */
export const stuckSandboxMessage = (agentAddress: string): string =>
  `Failed to create pod sandbox: rpc error: code = Unknown desc = remote hypervisor call failed: rpc error: code = Unknown desc = error connecting to agent: failed to establish agent proxy connection to ${agentAddress}:15150: dial tcp ${agentAddress}:15150: i/o timeout`;

export interface DemoResult {
  smallNode?: string;
  running: { name: string; node: string; vm: string }[];
  pending: { name: string; message: string }[];
  /** Placed, with a VM, but its sandbox does not come up. */
  stuck: { name: string; node: string; vm: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** Gives the last worker a VM-limit override of 1 (before the backend starts, so it advertises 1 from the start). */
export async function annotateSmallNode(kc: KubeConfig, workerNames: string[]): Promise<string | undefined> {
  const smallNode = workerNames.at(-1);
  if (!smallNode) return undefined;
  await kc.makeApiClient(CoreV1Api).patchNode(
    {
      name: smallNode,
      body: { metadata: { annotations: { [VM_LIMIT_OVERRIDE_ANNOTATION]: String(SMALL_NODE_LIMIT) } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return smallNode;
}

/** Waits until the backend's reconciler advertises the VM resource on every worker. */
export async function waitForAdvertisedCapacity(kc: KubeConfig, workerNames: string[]): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const wanted = new Set(workerNames);
  await until('kata.peerpods.io/vm on every worker', 60_000, async () => {
    const nodes = await core.listNode();
    const advertised = nodes.items.filter(
      (n) => wanted.has(n.metadata?.name ?? '') && n.status?.allocatable?.[PEERPOD_RESOURCE] !== undefined,
    );
    return advertised.length === wanted.size ? true : undefined;
  });
}

function peerPod(name: string, nodeSelector?: Record<string, string>): V1Pod {
  return {
    metadata: { name, labels: { app: name.replace(/-\d+$/, '') } },
    spec: {
      runtimeClassName: RUNTIME_CLASS,
      nodeSelector,
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        },
      ],
    },
  };
}

/** Bound, or refused by the scheduler: the pod's scheduling outcome, once there is one. */
async function scheduled(core: CoreV1Api, name: string): Promise<V1Pod> {
  return until(`scheduling of pod ${DEMO_NAMESPACE}/${name}`, 30_000, async () => {
    const pod = await core.readNamespacedPod({ namespace: DEMO_NAMESPACE, name });
    const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    return pod.spec?.nodeName || condition?.status === 'False' ? pod : undefined;
  });
}

/**
 * Plays the kubelet for a pod whose sandbox cloud-api-adaptor could not finish: its container
 * waiting in ContainerCreating, and a Warning Event on the pod.
 */
async function recordSandboxFailure(core: CoreV1Api, pod: V1Pod): Promise<void> {
  const now = new Date().toISOString();
  const name = pod.metadata!.name!;
  await core.patchNamespacedPodStatus(
    {
      namespace: DEMO_NAMESPACE,
      name,
      body: {
        status: {
          phase: 'Pending',
          startTime: now,
          containerStatuses: [
            {
              name: 'app',
              ready: false,
              restartCount: 0,
              image: 'registry.access.redhat.com/ubi9/ubi-minimal',
              imageID: '',
              started: false,
              state: { waiting: { reason: 'ContainerCreating' } },
            },
          ],
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  await core.createNamespacedEvent({
    namespace: DEMO_NAMESPACE,
    body: {
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}` },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: DEMO_NAMESPACE, name, uid: pod.metadata!.uid! },
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      message: stuckSandboxMessage('10.0.1.23'),
      source: { component: 'kubelet', host: pod.spec!.nodeName! },
      reportingComponent: 'kubelet',
      reportingInstance: pod.spec!.nodeName!,
      count: 1,
      firstTimestamp: new Date(now),
      lastTimestamp: new Date(now),
    },
  });
}

/** Plays the cloud-api-adaptor for a placed pod: its VM in the simulated cloud, and its PeerPod. */
async function launchPeerPodVm(kc: KubeConfig, cloud: SimulatedCloud, pod: V1Pod): Promise<string> {
  const name = pod.metadata!.name!;
  const vmName = podVmName(name, randomBytes(4).toString('hex'));
  const instanceID = await cloud.launchPodVm(vmName);
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: 'confidentialcontainers.org',
    version: 'v1alpha1',
    plural: 'peerpods',
    namespace: DEMO_NAMESPACE,
    body: {
      apiVersion: 'confidentialcontainers.org/v1alpha1',
      kind: 'PeerPod',
      metadata: {
        name,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid: pod.metadata!.uid!, controller: true }],
      },
      spec: { cloudProvider: cloud.platform, instanceID },
    },
  });
  return vmName;
}

/** Plays the cloud-api-adaptor and the kubelet for a placed pod: its VM, its PeerPod, Running. */
async function runOnPeerPodVm(kc: KubeConfig, cloud: SimulatedCloud, pod: V1Pod): Promise<string> {
  const vmName = await launchPeerPodVm(kc, cloud, pod);
  const name = pod.metadata!.name!;
  const now = new Date().toISOString();
  await kc.makeApiClient(CoreV1Api).patchNamespacedPodStatus(
    {
      namespace: DEMO_NAMESPACE,
      name,
      body: {
        status: {
          phase: 'Running',
          startTime: now,
          conditions: [
            { type: 'Initialized', status: 'True', lastTransitionTime: now },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: 'True', lastTransitionTime: now },
          ],
          containerStatuses: [
            {
              name: 'app',
              ready: true,
              restartCount: 0,
              image: 'registry.access.redhat.com/ubi9/ubi-minimal',
              imageID: '',
              started: true,
              state: { running: { startedAt: now } },
            },
          ],
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  return vmName;
}

/**
 * Creates the demo peer pods (after the webhook is registered and capacity is advertised): first
 * the three that ask for the small node, so that one of them takes its single slot, then three
 * the scheduler spreads over the other workers, then the one whose sandbox does not come up.
 */
export async function createDemoPeerPods(
  kc: KubeConfig,
  cloud: SimulatedCloud,
  smallNode: string | undefined,
): Promise<DemoResult> {
  const core = kc.makeApiClient(CoreV1Api);
  const result: DemoResult = { smallNode, running: [], pending: [], stuck: [] };
  const outcomes: V1Pod[] = [];
  if (smallNode) {
    for (const name of SMALL_NODE_PODS) {
      await core.createNamespacedPod({
        namespace: DEMO_NAMESPACE,
        body: peerPod(name, { 'kubernetes.io/hostname': smallNode }),
      });
    }
    for (const name of SMALL_NODE_PODS) outcomes.push(await scheduled(core, name));
  }
  for (const name of SPREAD_PODS) {
    await core.createNamespacedPod({ namespace: DEMO_NAMESPACE, body: peerPod(name) });
  }
  for (const name of SPREAD_PODS) outcomes.push(await scheduled(core, name));

  await core.createNamespacedPod({ namespace: DEMO_NAMESPACE, body: peerPod(STUCK_POD) });
  const stuck = await scheduled(core, STUCK_POD);
  if (stuck.spec?.nodeName) {
    const vm = await launchPeerPodVm(kc, cloud, stuck);
    await recordSandboxFailure(core, stuck);
    result.stuck.push({ name: STUCK_POD, node: stuck.spec.nodeName, vm });
  } else {
    outcomes.push(stuck);
  }

  for (const pod of outcomes) {
    const name = pod.metadata!.name!;
    if (pod.spec?.nodeName) {
      result.running.push({ name, node: pod.spec.nodeName, vm: await runOnPeerPodVm(kc, cloud, pod) });
    } else {
      const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      result.pending.push({ name, message: condition?.message ?? '' });
    }
  }
  return result;
}
