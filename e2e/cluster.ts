// What the API server holds, read and changed as the cluster admin: the tests compare the page
// with it rather than with numbers written into the tests.
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { OPERATOR_NAMESPACE, PEERPODCONFIG_NAME } from '../hack/controlplane/fixtures.ts';

export interface PeerPodConfig {
  metadata: { name: string; namespace: string };
  spec: { limit?: string; nodeSelector?: Record<string, string> };
}

export function adminKubeConfig(): KubeConfig {
  const path = process.env.E2E_KUBECONFIG;
  if (!path)
    throw new Error('E2E_KUBECONFIG is not set: run the tests with `npx playwright test` (global setup sets it)');
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

const ppcCoordinates = {
  group: 'confidentialcontainers.org',
  version: 'v1alpha1',
  plural: 'peerpodconfigs',
  namespace: OPERATOR_NAMESPACE,
  name: PEERPODCONFIG_NAME,
};

export async function readPeerPodConfig(kc: KubeConfig): Promise<PeerPodConfig> {
  return (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject(ppcCoordinates)) as PeerPodConfig;
}

/**
 * A merge patch of spec.limit, as `oc patch --type merge` sends it; `fieldManager` names the writer
 * in managedFields (`oc patch` sends kubectl-patch), else the API server derives it from the client.
 */
export async function setPeerPodConfigLimit(kc: KubeConfig, limit: string, fieldManager?: string): Promise<void> {
  await kc
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObject(
      { ...ppcCoordinates, body: { spec: { limit } }, fieldManager },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}

/** Names of the nodes a label map selects, sorted. */
export async function selectedNodeNames(kc: KubeConfig, selector: Record<string, string>): Promise<string[]> {
  const labelSelector = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const nodes = await kc.makeApiClient(CoreV1Api).listNode({ labelSelector });
  return nodes.items.map((n) => n.metadata!.name!).sort();
}
