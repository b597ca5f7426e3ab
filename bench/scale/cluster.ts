// A cluster that grows on one real API server (no scheduler, no kubelet): worker nodes, and on
// each node the same number of pods bound by spec.nodeName, one in five a peer pod as the webhook
// leaves it. Growing adds nodes, pods on the new nodes, and pods on the old ones when the number
// per node rises, so a benchmark measures size after size without building each afresh.
// Shared by bench/scale and bench/stream.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from '../../backend/src/kube/client.ts';
import { peerPod } from '../../backend/src/capacity/test/peer-pods.ts';
import { createWorkerNodes } from '../../hack/controlplane/fixtures.ts';

export const BENCH_NAMESPACE = 'bench';
/** Pods the cluster grows carry it: "peer" or "plain" (a selector for deleting all plain pods at once). */
export const POD_KIND_LABEL = 'bench.peerpods.io/kind';
/** Every fifth pod of a node (k = 0, 5, 10, …) is a peer pod. */
export const PEER_POD_EVERY = 5;

export interface ClusterShape {
  nodes: number;
  podsPerNode: number;
}

export const nodeName = (node: number) => `bench-${node}`;
export const isPeerPodIndex = (k: number) => k % PEER_POD_EVERY === 0;
/** Peer pods per node at `podsPerNode` pods per node. */
export const peerPodsPerNode = (podsPerNode: number) => Math.ceil(podsPerNode / PEER_POD_EVERY);
/** The name of the k-th pod of a node: peer-<node>-<k> or pod-<node>-<k>. */
export const podName = (node: number, k: number) => `${isPeerPodIndex(k) ? 'peer' : 'pod'}-${node}-${k}`;

/** A pod that is not a peer pod: one container, no runtime class, nothing of the VM resource. */
export function plainPod(name: string, namespace: string, node: string) {
  return {
    metadata: { name, namespace, labels: { [POD_KIND_LABEL]: 'plain' } },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'registry.access.redhat.com/ubi9/ubi-minimal' }] },
  };
}

function benchPod(node: number, k: number) {
  const name = podName(node, k);
  if (!isPeerPodIndex(k)) return plainPod(name, BENCH_NAMESPACE, nodeName(node));
  const pod = peerPod(name, BENCH_NAMESPACE, { vms: 1, nodeName: nodeName(node) });
  return { ...pod, metadata: { ...pod.metadata, labels: { [POD_KIND_LABEL]: 'peer' } } };
}

export async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The bench namespace; the PeerPodConfig is the caller's (createPeerPodConfig). */
export async function createBenchNamespace(client: KubeClient): Promise<void> {
  await client.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: BENCH_NAMESPACE } } });
}

export class BuildTimeout extends Error {
  constructor(minutes: number) {
    super(`building took longer than ${minutes} minutes`);
  }
}

/**
 * Grows the cluster from `from` to `to` (neither may shrink). Throws BuildTimeout once
 * `maxMinutes` have passed, leaving what was made.
 */
export async function growCluster(
  kc: KubeConfig,
  client: KubeClient,
  from: ClusterShape,
  to: ClusterShape,
  options: { maxMinutes: number; log: (line: string) => void },
): Promise<{ nodesSeconds: number; podsSeconds: number; pods: number }> {
  const started = Date.now();
  if (to.nodes > from.nodes) {
    await createWorkerNodes(kc, {
      count: to.nodes - from.nodes,
      startIndex: from.nodes,
      namePrefix: 'bench-',
      concurrency: 32,
    });
  }
  const nodesSeconds = Math.round((Date.now() - started) / 1000);
  options.log(`${to.nodes} nodes (${to.nodes - from.nodes} new) in ${nodesSeconds} s`);
  const work: [number, number][] = [];
  for (let node = 0; node < to.nodes; node++) {
    const first = node < from.nodes ? from.podsPerNode : 0;
    for (let k = first; k < to.podsPerNode; k++) work.push([node, k]);
  }
  const podsStart = Date.now();
  const deadline = started + options.maxMinutes * 60_000;
  let made = 0;
  await inBatches(work, 48, async ([node, k]) => {
    if (Date.now() > deadline) throw new BuildTimeout(options.maxMinutes);
    await client.request({
      method: 'POST',
      path: `/api/v1/namespaces/${BENCH_NAMESPACE}/pods`,
      body: benchPod(node, k),
    });
    if (++made % 10_000 === 0)
      options.log(`${made} of ${work.length} pods (${Math.round((Date.now() - podsStart) / 1000)} s)`);
  });
  const podsSeconds = Math.round((Date.now() - podsStart) / 1000);
  options.log(`${work.length} pods in ${podsSeconds} s`);
  return { nodesSeconds, podsSeconds, pods: work.length };
}
