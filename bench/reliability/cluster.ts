// Cluster-side helpers of the reliability scripts: the limit, node convergence, pod listing, and
// registering the webhook and waiting for the API server to call it.
import { AdmissionregistrationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from '../../backend/src/kube/client.ts';
import { renderWebhookConfiguration } from '../../backend/src/webhook/webhook-configuration.ts';
import { OPERATOR_NAMESPACE, PEERPODCONFIG_NAME, PEERPOD_RESOURCE } from '../../hack/controlplane/fixtures.ts';
import { waitUntil } from './harness.ts';
import { mutationProblems, userPeerPod, type StoredPod } from './pods.ts';

export async function setLimit(client: KubeClient, limit: string): Promise<void> {
  await client.request({
    method: 'PATCH',
    path: `/apis/confidentialcontainers.org/v1alpha1/namespaces/${OPERATOR_NAMESPACE}/peerpodconfigs/${PEERPODCONFIG_NAME}`,
    contentType: 'application/merge-patch+json',
    body: { spec: { limit } },
  });
}

interface NodeList {
  items: {
    metadata: { name: string };
    status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
  }[];
}

/** How many nodes advertise `value` in both capacity and allocatable, of how many. */
export async function nodesAt(client: KubeClient, value: string): Promise<{ at: number; of: number }> {
  const list = await client.request<NodeList>({ method: 'GET', path: '/api/v1/nodes', timeoutMs: 10_000 });
  const at = list.items.filter(
    (n) => n.status?.capacity?.[PEERPOD_RESOURCE] === value && n.status?.allocatable?.[PEERPOD_RESOURCE] === value,
  ).length;
  return { at, of: list.items.length };
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name } } });
}

export async function listPods(client: KubeClient, namespace: string): Promise<StoredPod[]> {
  const pods: StoredPod[] = [];
  let token: string | undefined;
  do {
    const page = await client.request<{ items: StoredPod[]; metadata: { continue?: string } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods`,
      query: { limit: 500, continue: token },
    });
    pods.push(...page.items);
    token = page.metadata.continue || undefined;
  } while (token);
  return pods;
}

export async function registerWebhook(kc: KubeConfig, webhookUrl: string, caPem: string): Promise<void> {
  await kc.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({
    body: renderWebhookConfiguration({ target: { url: webhookUrl }, caBundlePem: caPem }),
  });
}

/**
 * The API server loads a new MutatingWebhookConfiguration asynchronously: wait until a probe pod
 * comes back mutated, then delete the probes.
 */
export async function waitForWebhookInPath(client: KubeClient, probeNamespace: string): Promise<void> {
  let probe = 0;
  await waitUntil('the API server to call the webhook', async () => {
    const index = probe++;
    const pod = await client.request<StoredPod>({
      method: 'POST',
      path: `/api/v1/namespaces/${probeNamespace}/pods`,
      body: userPeerPod(`probe-${index}`, probeNamespace, index),
    });
    return mutationProblems(pod, index).length === 0;
  });
  // The probes are not part of any measurement; the first ones may even have missed the webhook.
  await client.request({
    method: 'DELETE',
    path: `/api/v1/namespaces/${probeNamespace}/pods`,
    query: { gracePeriodSeconds: 0 },
  });
  await waitUntil('the probe pods to be gone', async () => (await listPods(client, probeNamespace)).length === 0);
}
