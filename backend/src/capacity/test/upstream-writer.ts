// A second writer of the extended resource that behaves like the sandboxed containers operator's
// embedded peerpodconfig-ctrl, for the integration tests and the benchmark. What it copies from
// upstream (confidential-containers/cloud-api-adaptor, peerpodconfig-ctrl/controllers/
// peerpodconfig_controller.go, advertiseExtendedResources):
//   - on each PeerPodConfig reconcile it lists the nodes matching spec.nodeSelector, or its own
//     default `node.kubernetes.io/worker` (older releases: `node-role.kubernetes.io/worker`) when
//     the config has none — not our default `node-role.kubernetes.io/kata-oc`;
//   - it sends every one of them a JSON patch on nodes/status, `add /status/capacity/
//     kata.peerpods.io~1vm` = spec.limit, unconditionally (no resourceVersion) and only capacity;
//   - it sets no fieldManager, so the API server names the manager after the client's user agent
//     up to its first "/": client-go's default agent starts with the binary's name, and the
//     operator image runs `/manager`.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../kube/client.ts';

/** The user agent client-go sends from the operator's `/manager` binary (a development build's version). */
export const UPSTREAM_USER_AGENT = 'manager/v0.0.0 (linux/amd64) kubernetes/$Format';
/** The field manager the API server records for it. */
export const UPSTREAM_FIELD_MANAGER = 'manager';

export interface UpstreamWriter {
  /**
   * One PeerPodConfig reconcile's node writes: the limit to every node the selector matches.
   * Resolves with the nodes as each patch answered (their managedFields included).
   */
  advertise(limit: string, nodeSelector: Readonly<Record<string, string>>): Promise<PatchedNode[]>;
  /** One patch of one node, as above. */
  patchNode(name: string, limit: string): Promise<PatchedNode>;
  close(): void;
}

export interface PatchedNode {
  metadata: { name: string; resourceVersion: string; managedFields?: { manager?: string; fieldsV1?: unknown }[] };
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

export async function createUpstreamWriter(
  kubeConfig: KubeConfig,
  resource = 'kata.peerpods.io/vm',
): Promise<UpstreamWriter> {
  const client = await KubeClient.create(kubeConfig, { userAgent: UPSTREAM_USER_AGENT });
  const pointer = resource.replace(/~/g, '~0').replace(/\//g, '~1');
  const patchNode = (name: string, limit: string) =>
    client.request<PatchedNode>({
      method: 'PATCH',
      path: `/api/v1/nodes/${encodeURIComponent(name)}/status`,
      contentType: 'application/json-patch+json',
      body: [{ op: 'add', path: `/status/capacity/${pointer}`, value: limit }],
    });
  return {
    patchNode,
    async advertise(limit, nodeSelector) {
      const labelSelector = Object.entries(nodeSelector)
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
      const list = await client.request<{ items: PatchedNode[] }>({
        method: 'GET',
        path: '/api/v1/nodes',
        query: { labelSelector },
      });
      const patched: PatchedNode[] = [];
      for (const node of list.items) patched.push(await patchNode(node.metadata.name, limit));
      return patched;
    },
    close: () => client.close(),
  };
}
